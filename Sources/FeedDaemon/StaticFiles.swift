import CompressNIO
import FeedModel
import FeedPipeline
import Foundation
import Logging
import NIOCore
import Synchronization

/// Serves the output folder and nothing outside it: `..`, encoded slashes,
/// NUL, backslashes and symlinks that lead out are refused. Answers with
/// `ETag` (a hash of the bytes, stable across restarts) and `Last-Modified`,
/// `304` for a matching `If-None-Match`/`If-Modified-Since`, and gzip when the
/// reader accepts it.
final class StaticFiles: Sendable {
    struct File: Sendable {
        var bytes: [UInt8]
        var gzipped: [UInt8]?
        var etag: String
        var modified: Date
        var contentType: String
    }

    enum Lookup {
        case found(File)
        case notFound
        case forbidden
    }

    let root: String
    /// Where a file that could not be gzipped is told (it is served uncompressed).
    let logger: Logger
    private let cache = Mutex<[String: (stamp: Stamp, file: File)]>([:])

    struct Stamp: Equatable { var size: Int; var mtime: Int64 }

    static let contentTypes: [String: String] = [
        "rss.xml": "application/rss+xml; charset=utf-8",
        "atom.xml": "application/atom+xml; charset=utf-8",
        "feed.json": "application/feed+json; charset=utf-8",
        "opml.xml": "text/x-opml; charset=utf-8",
        ".html": "text/html; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".xml": "application/xml; charset=utf-8",
        ".json": "application/json; charset=utf-8",
        ".txt": "text/plain; charset=utf-8",
        ".md": "text/markdown; charset=utf-8",
    ]

    init(root: String, logger: Logger) {
        self.root = (root as NSString).standardizingPath
        self.logger = logger
    }

    /// Maps a raw request path (still percent-encoded) to a file in the root.
    /// A file not cached yet (or changed) is read and gzipped on `blocking`, off the cooperative pool.
    func lookup(rawPath: String, blocking: BlockingPool) async -> Lookup {
        let rawLower = rawPath.lowercased()
        // An encoded slash or backslash can only be an attempt to step outside the URL's hierarchy.
        if rawLower.contains("%2f") || rawLower.contains("%5c") || rawLower.contains("%00") { return .forbidden }
        guard let decoded = rawPath.removingPercentEncoding else { return .forbidden }
        let parts = decoded.split(separator: "/", omittingEmptySubsequences: true)
        if parts.contains(where: { $0 == ".." || $0 == "." || $0.contains("\\") || $0.contains("\0") }) { return .forbidden }
        var relative = parts.joined(separator: "/")
        if relative.isEmpty || decoded.hasSuffix("/") { relative += relative.isEmpty ? "index.html" : "/index.html" }
        let path = root + "/" + relative
        // Symlinks: the real path must still be inside the real root.
        guard let real = realPath(path) else { return .notFound }
        guard let realRoot = realPath(root), real.hasPrefix(realRoot + "/") else { return .forbidden }
        var st = stat()
        guard stat(real, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return .notFound }
        let stamp = Stamp(size: Int(st.st_size), mtime: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec))
        if let hit = cache.withLock({ $0[real] }), hit.stamp == stamp { return .found(hit.file) }
        let modified = Date(timeIntervalSince1970: TimeInterval(st.st_mtim.tv_sec))
        return await blocking.run { self.load(real, stamp: stamp, modified: modified) }.map(Lookup.found) ?? .notFound
    }

    private func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// Blocking: reads and gzips the file.
    private func load(_ path: String, stamp: Stamp, modified: Date) -> File? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let bytes = [UInt8](data)
        var gzipped: [UInt8]?
        do { gzipped = try Self.gzip(bytes) } catch { logger.warning("\(path): served uncompressed, gzip failed: \(error)") }
        let file = File(bytes: bytes, gzipped: gzipped, etag: "\"\(Self.hash(bytes))\"",
                        modified: modified, contentType: Self.contentType(of: path))
        cache.withLock { $0[path] = (stamp, file) }
        return file
    }

    static func contentType(of path: String) -> String {
        let name = (path as NSString).lastPathComponent
        if let exact = contentTypes[name] { return exact }
        let ext = "." + (name as NSString).pathExtension
        return contentTypes[ext] ?? "application/octet-stream"
    }

    /// gzip for bodies worth it (nil for tiny ones: they cost more in headers than they save).
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8]? {
        guard bytes.count >= 256 else { return nil }
        var buffer = ByteBuffer(bytes: bytes)
        return Array(try buffer.compress(with: .gzip()).readableBytesView)
    }

    /// FNV-1a 64 of the bytes: the same file gives the same ETag after a restart.
    static func hash(_ bytes: [UInt8]) -> String {
        String(FNV1a.hash(bytes), radix: 16)
    }
}

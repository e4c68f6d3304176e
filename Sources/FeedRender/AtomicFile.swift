import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one way feedd writes a file: to a temp file beside it, fsync, rename,
/// fsync the folder. A reader sees the old bytes or the new ones, never a mix,
/// and a crash never leaves a truncated feed.
public enum AtomicFile {
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "cannot write \(path): \(message)" }
    }

    /// Writes `bytes` to `path` unless the file already holds exactly them.
    /// Returns whether the file changed.
    @discardableResult
    public static func write(_ bytes: [UInt8], to path: String) throws(WriteError) -> Bool {
        if let existing = FileManager.default.contents(atPath: path), existing.elementsEqual(bytes) { return false }
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: path, message: "cannot create folder: \(error.localizedDescription)")
        }
        let temp = tempPath(for: path)
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(path: path, message: String(cString: strerror(errno))) }
        var ok = true
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; ok = false; return }
                offset += n
            }
        }
        let message = ok ? nil : String(cString: strerror(errno))
        if ok && fsync(fd) != 0 { ok = false }
        close(fd)
        guard ok, rename(temp, path) == 0 else {
            let why = message ?? String(cString: strerror(errno))
            unlink(temp)
            throw WriteError(path: path, message: why)
        }
        let dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 { fsync(dir); close(dir) }
        return true
    }
}

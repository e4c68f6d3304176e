import FeedConfig
import FeedPipeline
import FeedStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The built-in feed server: the output folder to feed readers, plus
/// `/healthz` and `/metrics`.
public enum FeedServer {
    /// Builds the Hummingbird application; `onListening` gets the bound port
    /// (useful with port 0) once the server accepts connections.
    public static func build(config: Config, settings: Config.ServerSettings, store: any Store, blocking: BlockingPool,
                             metrics: DaemonMetrics,
                             currentConfig: @escaping @Sendable () -> Config,
                             logger: Logger, onListening: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        let files = StaticFiles(root: config.output, logger: logger)
        let router = Router()
        router.get("/healthz") { _, _ -> Response in
            let report: HealthReport
            let status: HTTPResponse.Status
            // The connection first: with PostgreSQL out of reach a pooled query would wait for it.
            let database = await HealthReport.database(store)
            do {
                guard database.status == "ok" else { throw HealthReport.DatabaseUnavailable(message: database.error ?? "no answer") }
                let states = try await store.sourceStates()
                report = HealthReport(config: currentConfig(), states: states, database: database)
                status = .ok
            } catch {
                // Not "no sources": an unreadable store is the daemon's own failure, and a monitor must see it.
                logger.error("/healthz: \(error)")
                report = HealthReport(unavailable: "\(error)", database: database)
                status = .serviceUnavailable
            }
            return Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(bytes: report.json())))
        }
        router.get("/metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
        let serve: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            await Self.respond(to: request, files: files, blocking: blocking)
        }
        for path in ["/", "**"] {
            router.get(RouterPath(path), use: serve)
            router.head(RouterPath(path), use: serve)
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "feedd"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? settings.port) },
            logger: logger
        )
    }

    static func respond(to request: Request, files: StaticFiles, blocking: BlockingPool) async -> Response {
        let file: StaticFiles.File
        switch await files.lookup(rawPath: request.uri.path, blocking: blocking) {
        case .forbidden: return plain(.forbidden, "forbidden\n")
        case .notFound: return plain(.notFound, "not found\n")
        case .found(let f): file = f
        }
        var headers: HTTPFields = [
            .eTag: file.etag,
            .lastModified: HTTPDate.format(file.modified),
            .contentType: file.contentType,
            .vary: "Accept-Encoding",
            .cacheControl: "public, max-age=60",
        ]
        if notModified(request, file) { return Response(status: .notModified, headers: headers) }
        var body = file.bytes
        if let gz = file.gzipped, acceptsGzip(request.headers[.acceptEncoding]) {
            body = gz
            headers[.contentEncoding] = "gzip"
        }
        headers[.contentLength] = String(body.count)
        if request.method == .head { return Response(status: .ok, headers: headers, body: .init()) }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// RFC 9110 §13.1: If-None-Match wins over If-Modified-Since.
    static func notModified(_ request: Request, _ file: StaticFiles.File) -> Bool {
        if let inm = request.headers[.ifNoneMatch] {
            return inm.split(separator: ",").contains { tag in
                let t = tag.trimmingCharacters(in: .whitespaces)
                return t == "*" || t == file.etag || t == "W/" + file.etag
            }
        }
        if let ims = request.headers[.ifModifiedSince], let since = HTTPDate.parse(ims) {
            return file.modified.timeIntervalSince1970.rounded(.down) <= since.timeIntervalSince1970
        }
        return false
    }

    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        return header.split(separator: ",").contains { part in
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard fields.first == "gzip" || fields.first == "*" else { return false }
            return !fields.dropFirst().contains { $0.replacingOccurrences(of: " ", with: "") == "q=0" }
        }
    }

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

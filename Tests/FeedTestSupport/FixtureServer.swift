import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP/1.1 server on 127.0.0.1 and an ephemeral port, for tests:
/// serves what `routes` say, records every request it received, and answers
/// conditional GETs with 304 when the ETag or Last-Modified matches.
public final class FixtureServer: Sendable {
    public struct Request: Sendable {
        public var method: String
        /// Path with query, as sent.
        public var target: String
        /// Header names lowercased.
        public var headers: [String: String]
        /// The request body (a POST's form), as text.
        public var body: String = ""
        public var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }
    }

    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]
        /// Seconds to wait before answering (a slow or hanging upstream).
        public var delay: Double

        public init(status: Int = 200, headers: [(String, String)] = [], body: [UInt8] = [], delay: Double = 0) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delay = delay
        }

        public static func json(_ text: String, etag: Bool = true) -> Response {
            file(Array(text.utf8), contentType: "application/json; charset=utf-8", etag: etag)
        }

        /// A static file with an ETag derived from its bytes and a fixed Last-Modified.
        public static func file(_ bytes: [UInt8], contentType: String, etag: Bool = true) -> Response {
            var headers = [("Content-Type", contentType)]
            if etag {
                headers.append(("ETag", "\"\(FixtureServer.hash(bytes))\""))
                headers.append(("Last-Modified", "Wed, 29 Dec 2021 07:06:00 GMT"))
            }
            return Response(status: 200, headers: headers, body: bytes)
        }

        public static let notFound = Response(status: 404, headers: [("Content-Type", "text/plain")], body: Array("not found".utf8))
    }

    public typealias Handler = @Sendable (Request) -> Response

    public let port: Int
    private let listener: Int32
    /// Set once the listening socket is closed. Its number may then belong to
    /// another socket of this process, which `stop()` must never shut down.
    private let closed = Mutex(false)
    private let log = Mutex<[Request]>([])
    private let inFlight = Mutex<(now: Int, max: Int)>((0, 0))
    /// The same, by the host a request named (its `Host` header without the port).
    private let inFlightByHost = Mutex<[String: (now: Int, max: Int)]>([:])
    /// When each request arrived, by path (for timing assertions).
    private let arrivals = Mutex<[(path: String, at: ContinuousClock.Instant)]>([])
    private let routes: Mutex<[String: Response]>
    private let fallback: Handler?

    /// Serves `routes` (path → response, query ignored unless the key has one), else `fallback`.
    public init(routes: [String: Response] = [:], fallback: Handler? = nil) throws {
        self.routes = Mutex(routes)
        self.fallback = fallback
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 64) == 0 else { close(listener); throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) }
        }
        port = Int(UInt16(bigEndian: addr.sin_port))
        self.listener = listener
        Thread.detachNewThread { [self] in acceptLoop(listener) }
    }

    deinit { stop() }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Every request received so far, in order.
    public var requests: [Request] { log.withLock { $0 } }

    public func requests(to path: String) -> [Request] { requests.filter { $0.path == path } }

    public func clearLog() {
        log.withLock { $0.removeAll() }
        arrivals.withLock { $0.removeAll() }
        inFlight.withLock { $0.max = $0.now }
        inFlightByHost.withLock { hosts in for (host, count) in hosts { hosts[host] = (count.now, count.now) } }
    }

    /// The most requests that were being answered at once.
    public var maxConcurrent: Int { inFlight.withLock { $0.max } }

    /// The most requests naming `host` (`localhost`, `127.0.0.1`) that were being answered at once.
    public func maxConcurrent(host: String) -> Int { inFlightByHost.withLock { $0[host]?.max ?? 0 } }

    /// Arrival times of the requests to `path`.
    public func arrivals(at path: String) -> [ContinuousClock.Instant] {
        arrivals.withLock { $0.filter { $0.path == path }.map(\.at) }
    }

    /// Replaces (or with nil removes) the response at `path`.
    public func set(_ path: String, _ response: Response?) {
        routes.withLock { $0[path] = response }
    }

    public func stop() {
        closed.withLock { isClosed in
            if !isClosed { shutdown(listener, Int32(SHUT_RDWR)) }
        }
    }

    private func acceptLoop(_ fd: Int32) {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                closed.withLock { isClosed in
                    isClosed = true
                    close(fd)
                }
                return
            }
            Thread.detachNewThread { [self] in serve(client) }
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        while let request = readRequest(fd) {
            log.withLock { $0.append(request) }
            arrivals.withLock { $0.append((request.path, ContinuousClock.now)) }
            let host = String((request.headers["host"] ?? "").split(separator: ":").first ?? "")
            inFlight.withLock { $0.now += 1; $0.max = max($0.max, $0.now) }
            inFlightByHost.withLock { hosts in
                var count = hosts[host] ?? (0, 0)
                count.now += 1
                count.max = max(count.max, count.now)
                hosts[host] = count
            }
            var response = respond(to: request)
            if response.delay > 0 { Thread.sleep(forTimeInterval: response.delay) }
            inFlight.withLock { $0.now -= 1 }
            inFlightByHost.withLock { $0[host]?.now -= 1 }
            if request.method == "HEAD" { response.body = [] }
            guard write(response, to: fd) else { return }
        }
    }

    private func respond(to request: Request) -> Response {
        let stored = routes.withLock { $0[request.target] ?? $0[request.path] }
        guard let response = stored ?? fallback?(request) else { return .notFound }
        let header = { (name: String) in response.headers.first { $0.0.lowercased() == name }?.1 }
        if let etag = header("etag"), request.headers["if-none-match"] == etag {
            return Response(status: 304, headers: response.headers.filter { $0.0.lowercased() != "content-type" })
        }
        if request.headers["if-none-match"] == nil, let lm = header("last-modified"),
           request.headers["if-modified-since"] == lm {
            return Response(status: 304, headers: [])
        }
        return response
    }

    private func readRequest(_ fd: Int32) -> Request? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            if let end = buffer.firstRange(of: [13, 10, 13, 10]) {
                let head = String(decoding: buffer[..<end.lowerBound], as: UTF8.self)
                var lines = head.components(separatedBy: "\r\n")
                let first = lines.removeFirst().split(separator: " ")
                guard first.count >= 2 else { return nil }
                var headers: [String: String] = [:]
                for line in lines {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                var body = Array(buffer[end.upperBound...])
                let length = min(Int(headers["content-length"] ?? "0") ?? 0, 1 << 20)
                while body.count < length {
                    let n = recv(fd, &chunk, chunk.count, 0)
                    if n <= 0 { return nil }
                    body.append(contentsOf: chunk[..<n])
                }
                return Request(method: String(first[0]), target: String(first[1]), headers: headers,
                               body: String(decoding: body, as: UTF8.self))
            }
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { return nil }
            buffer.append(contentsOf: chunk[..<n])
            if buffer.count > 64 * 1024 { return nil }
        }
    }

    private func write(_ response: Response, to fd: Int32) -> Bool {
        var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(response.body.count)\r\n\r\n"
        let bytes = Array(head.utf8) + response.body
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    static func reason(_ status: Int) -> String {
        [200: "OK", 304: "Not Modified", 404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error",
         503: "Service Unavailable"][status] ?? "Status"
    }

    /// FNV-1a, hex: a stable ETag for fixture bytes.
    public static func hash(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(h, radix: 16)
    }
}

import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A plain-http forward proxy on 127.0.0.1 (no CONNECT, so no https), for
/// tests of `proxy:`: a client sends it `GET http://host:port/path HTTP/1.1`;
/// it records the request, sends it on to `host:port` in origin form and
/// copies the answer back. Only loopback upstreams are reached.
public final class ForwardProxy: Sendable {
    public struct Request: Sendable {
        public var method: String
        /// The absolute URL the client asked for.
        public var target: String
        /// Names lowercased.
        public var headers: [String: String]
    }

    public let port: Int
    private let listener: Int32
    private let closed = Mutex(false)
    private let log = Mutex<[Request]>([])

    public init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = Self.loopback(port: 0)
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

    /// `http://127.0.0.1:PORT`, as a source's `proxy:` names it.
    public var url: String { "http://127.0.0.1:\(port)" }

    /// Every request the proxy was asked to forward, in order.
    public var requests: [Request] { log.withLock { $0 } }

    public func stop() {
        closed.withLock { isClosed in
            if !isClosed { shutdown(listener, Int32(SHUT_RDWR)) }
        }
    }

    static func loopback(port: UInt16) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = port.bigEndian
        return addr
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

    /// One client connection: requests in turn (curl keeps proxy connections alive).
    private func serve(_ client: Int32) {
        defer { close(client) }
        Self.setTimeout(client)
        var pending: [UInt8] = []
        while let (head, body) = Self.readMessage(client, &pending, isResponse: false, requestMethod: nil) {
            guard let request = Self.parse(head), let url = URLComponents(string: request.target),
                  url.scheme == "http", let host = url.host, host == "127.0.0.1" || host == "localhost" else {
                _ = Self.send(client, Array("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".utf8))
                return
            }
            log.withLock { $0.append(request) }
            guard let answer = forward(request, body: body, port: url.port ?? 80, url: url) else {
                _ = Self.send(client, Array("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".utf8))
                return
            }
            guard Self.send(client, answer) else { return }
        }
    }

    /// Sends the request on in origin form over a fresh connection; the answer's bytes as received.
    private func forward(_ request: Request, body: [UInt8], port: Int, url: URLComponents) -> [UInt8]? {
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard upstream >= 0 else { return nil }
        defer { close(upstream) }
        var addr = Self.loopback(port: UInt16(port))
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { return nil }
        Self.setTimeout(upstream)
        var path = url.percentEncodedPath.isEmpty ? "/" : url.percentEncodedPath
        if let query = url.percentEncodedQuery { path += "?" + query }
        var head = "\(request.method) \(path) HTTP/1.1\r\n"
        for (name, value) in request.headers where name != "proxy-connection" { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        guard Self.send(upstream, Array(head.utf8) + body) else { return nil }
        var pending: [UInt8] = []
        guard let (answerHead, answerBody) = Self.readMessage(upstream, &pending, isResponse: true,
                                                              requestMethod: request.method) else { return nil }
        return answerHead + [13, 10, 13, 10] + answerBody
    }

    static func parse(_ head: [UInt8]) -> Request? {
        var lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let first = lines.removeFirst().split(separator: " ")
        guard first.count == 3 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Request(method: String(first[0]), target: String(first[1]), headers: headers)
    }

    /// One HTTP message framed by Content-Length (the fixture server always
    /// sends one); its head without the blank line, and its body.
    static func readMessage(_ fd: Int32, _ buffer: inout [UInt8], isResponse: Bool,
                            requestMethod: String?) -> ([UInt8], [UInt8])? {
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            if let end = buffer.firstRange(of: [13, 10, 13, 10]) {
                let head = Array(buffer[..<end.lowerBound])
                let text = String(decoding: head, as: UTF8.self).lowercased()
                var length = 0
                for line in text.components(separatedBy: "\r\n") where line.hasPrefix("content-length:") {
                    length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
                if isResponse && (requestMethod == "HEAD" || text.hasPrefix("http/1.1 304")) { length = 0 }
                while buffer.count - end.upperBound < length {
                    let n = recv(fd, &chunk, chunk.count, 0)
                    if n <= 0 { return nil }
                    buffer.append(contentsOf: chunk[..<n])
                }
                let body = Array(buffer[end.upperBound..<(end.upperBound + length)])
                buffer.removeFirst(end.upperBound + length)
                return (head, body)
            }
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 || buffer.count > 1 << 20 { return nil }
            buffer.append(contentsOf: chunk[..<n])
        }
    }

    static func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// Bounded waits: a stuck peer ends the connection after 10 s, never hangs a test.
    static func setTimeout(_ fd: Int32) {
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }
}

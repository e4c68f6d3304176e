import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A SOCKS5 proxy on 127.0.0.1 (RFC 1928: no authentication, CONNECT only),
/// for tests of `proxy: socks5://…`: records where each client asked to
/// connect and relays bytes both ways. Only loopback destinations are reached.
public final class SOCKS5Proxy: Sendable {
    public let port: Int
    private let listener: Int32
    private let closed = Mutex(false)
    private let log = Mutex<[String]>([])

    public init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = ForwardProxy.loopback(port: 0)
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

    /// `socks5://127.0.0.1:PORT`.
    public var url: String { "socks5://127.0.0.1:\(port)" }

    /// `host:port` of every CONNECT, in order (the host as the client named it).
    public var connects: [String] { log.withLock { $0 } }

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

    private func serve(_ client: Int32) {
        defer { close(client) }
        ForwardProxy.setTimeout(client)
        // Greeting: VER NMETHODS METHODS…; we take "no authentication".
        guard let greeting = Self.read(client, 2), greeting[0] == 5, Self.read(client, Int(greeting[1])) != nil,
              ForwardProxy.send(client, [5, 0]) else { return }
        // Request: VER CMD RSV ATYP DST.ADDR DST.PORT.
        guard let head = Self.read(client, 4), head[0] == 5, head[1] == 1 else { return }
        let host: String
        switch head[3] {
        case 1:
            guard let a = Self.read(client, 4) else { return }
            host = a.map(String.init).joined(separator: ".")
        case 3:
            guard let n = Self.read(client, 1), let name = Self.read(client, Int(n[0])) else { return }
            host = String(decoding: name, as: UTF8.self)
        default:
            _ = ForwardProxy.send(client, [5, 8, 0, 1, 0, 0, 0, 0, 0, 0]) // address type not supported
            return
        }
        guard let p = Self.read(client, 2) else { return }
        let port = Int(p[0]) << 8 | Int(p[1])
        log.withLock { $0.append("\(host):\(port)") }
        guard host == "127.0.0.1" || host == "localhost", let upstream = Self.connect(port: port) else {
            _ = ForwardProxy.send(client, [5, 5, 0, 1, 0, 0, 0, 0, 0, 0]) // connection refused
            return
        }
        defer { close(upstream) }
        guard ForwardProxy.send(client, [5, 0, 0, 1, 127, 0, 0, 1, 0, 0]) else { return }
        Self.relay(client, upstream)
    }

    static func read(_ fd: Int32, _ count: Int) -> [UInt8]? {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: max(count, 1))
        while out.count < count {
            let n = recv(fd, &chunk, count - out.count, 0)
            if n <= 0 { return nil }
            out += chunk[..<n]
        }
        return out
    }

    static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var addr = ForwardProxy.loopback(port: UInt16(port))
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { close(fd); return nil }
        return fd
    }

    /// Copies bytes both ways until either side closes or 10 s pass without any.
    static func relay(_ a: Int32, _ b: Int32) {
        var fds = [pollfd(fd: a, events: Int16(POLLIN), revents: 0), pollfd(fd: b, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 16384)
        while poll(&fds, 2, 10_000) > 0 {
            for i in 0..<2 where fds[i].revents != 0 {
                let n = recv(fds[i].fd, &buffer, buffer.count, 0)
                if n <= 0 { return }
                guard ForwardProxy.send(fds[1 - i].fd, Array(buffer[..<n])) else { return }
            }
        }
    }
}

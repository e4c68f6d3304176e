import CCurl
import Foundation
import Synchronization

/// libcurl's global state is set up once per process, before any handle.
let curlGlobal: Void = {
    curl_global_init(Int(CURL_GLOBAL_DEFAULT))
}()

/// Owns one curl easy handle. Handles are reused through `CurlHandlePool` so
/// that keep-alive connections to the same host are reused across fetches.
final class CurlHandle: @unchecked Sendable {
    // @unchecked: a handle is used by one transfer at a time; the pool hands it out exclusively.
    let raw: UnsafeMutableRawPointer

    init?() {
        _ = curlGlobal
        guard let h = curl_easy_init() else { return nil }
        raw = h
    }

    deinit { curl_easy_cleanup(raw) }

    func set(_ option: CURLoption, _ value: Int) { _ = feedd_curl_set_long(raw, option, value) }
    func set(_ option: CURLoption, _ value: String) { _ = feedd_curl_set_string(raw, option, value) }

    func getLong(_ info: CURLINFO) -> Int {
        var v = 0
        _ = feedd_curl_get_long(raw, info, &v)
        return v
    }

    func getString(_ info: CURLINFO) -> String? {
        var p: UnsafeMutablePointer<CChar>?
        _ = feedd_curl_get_string(raw, info, &p)
        return p.map { String(cString: $0) }
    }
}

/// A small pool of idle handles, checked out exclusively.
final class CurlHandlePool: Sendable {
    private let idle = Mutex<[CurlHandle]>([])
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func checkOut() -> CurlHandle? {
        idle.withLock { $0.popLast() } ?? CurlHandle()
    }

    func checkIn(_ handle: CurlHandle) {
        curl_easy_reset(handle.raw) // keeps the connection cache, forgets the options
        idle.withLock { if $0.count < capacity { $0.append(handle) } }
    }
}

/// The state one transfer's C callbacks write into, passed as their user pointer.
final class Transfer: @unchecked Sendable {
    // @unchecked: touched only by the thread running curl_easy_perform, except `cancelled`.
    var body: [UInt8] = []
    var headerLines: [String] = []
    var exceededLimit = false
    let limit: Int
    let cancelled = Atomic<Bool>(false)

    init(limit: Int) { self.limit = limit }

    /// Headers of the last response (earlier blocks belong to redirects or `100 Continue`):
    /// names lowercased, values without the spaces, tabs and line end around them.
    var headers: [String: String] {
        var out: [String: String] = [:]
        for line in headerLines {
            let bytes = line.utf8
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = Self.trimmed(bytes[..<colon])
            out[String(decoding: name, as: UTF8.self).lowercased()] =
                String(decoding: Self.trimmed(bytes[bytes.index(after: colon)...]), as: UTF8.self)
        }
        return out
    }

    /// `bytes` without HTTP's optional whitespace (and the line end) on either side.
    private static func trimmed(_ bytes: Substring.UTF8View) -> Substring.UTF8View {
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, blank(bytes[start]) { start = bytes.index(after: start) }
        while end > start, blank(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        return bytes[start..<end]
    }
}

let writeBody: feedd_curl_data_cb = { data, size, count, user in
    let transfer = Unmanaged<Transfer>.fromOpaque(user!).takeUnretainedValue()
    let n = size * count
    if transfer.body.count + n > transfer.limit {
        transfer.exceededLimit = true
        return 0 // makes curl stop with CURLE_WRITE_ERROR
    }
    data!.withMemoryRebound(to: UInt8.self, capacity: n) {
        transfer.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: n))
    }
    return n
}

let writeHeader: feedd_curl_data_cb = { data, size, count, user in
    let transfer = Unmanaged<Transfer>.fromOpaque(user!).takeUnretainedValue()
    let n = size * count
    let line = data!.withMemoryRebound(to: UInt8.self, capacity: n) {
        String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self)
    }
    if line.hasPrefix("HTTP/") { transfer.headerLines.removeAll() } // a new response begins
    transfer.headerLines.append(line)
    return n
}

let checkCancelled: feedd_curl_xferinfo_cb = { user, _, _, _, _ in
    let transfer = Unmanaged<Transfer>.fromOpaque(user!).takeUnretainedValue()
    return transfer.cancelled.load(ordering: .relaxed) ? 1 : 0
}

import FeedModel
import Foundation

/// A source's own request settings: `headers:`, `proxy:`, `user_agent:`.
/// Checked here so that nothing a config says can split a request or reach
/// curl half-valid; every mistake names the file, line and key.
extension ConfigLoader {
    static let requestKeys = ["headers", "proxy", "user_agent"]

    /// Headers feedd sets itself (conditional GET, framing, identity): a
    /// source may not override them.
    static let reservedHeaders: [String: String] = [
        "host": "the URL decides it",
        "content-length": "curl sets it",
        "transfer-encoding": "curl sets it",
        "connection": "curl manages connections",
        "if-none-match": "feedd sends the stored ETag",
        "if-modified-since": "feedd sends the stored Last-Modified",
        "user-agent": "write it as the source's `user_agent:`",
        "accept-encoding": "feedd accepts every encoding curl decodes",
    ]

    static let proxySchemes = ["http", "https", "socks4", "socks4a", "socks5", "socks5h"]

    /// The request settings in a source's mapping; `.none` when it has none.
    static func readRequest(_ m: YAMLMapping) throws(ConfigError) -> RequestOptions {
        var options = RequestOptions()
        if let headers = m.optional("headers") {
            var seen: Set<String> = []
            for (name, value) in try headers.namedMapping() {
                let nameError = { (message: String) in
                    ConfigError(file: value.file, line: value.line, keyPath: value.keyPath, message: message)
                }
                guard isToken(name) else {
                    throw nameError("'\(name)' is not a header name (letters, digits and !#$%&'*+-.^_`|~ only)")
                }
                if let why = reservedHeaders[name.lowercased()] {
                    throw nameError("header '\(name)' cannot be set per source: \(why)")
                }
                guard seen.insert(name.lowercased()).inserted else { throw nameError("header '\(name)' is given twice") }
                options.headers.append(.init(name: name, value: try headerValue(value)))
            }
        }
        if let proxy = m.optional("proxy") { options.proxy = try readProxy(proxy) }
        if let agent = m.optional("user_agent") { options.userAgent = try headerValue(agent) }
        return options
    }

    /// RFC 9110 §5.6.2: a header name is a token.
    static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default:
                "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }

    /// RFC 9110 §5.5: visible characters, spaces and tabs; never CR, LF, NUL
    /// or another control character (a CR/LF would start a header of the config's choosing).
    /// The message never quotes the value: it may be a cookie.
    static func headerValue(_ value: YAMLValue) throws(ConfigError) -> String {
        let text = try value.string()
        if let bad = text.unicodeScalars.first(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) {
            let what = bad == "\r" ? "a carriage return (CR)" : bad == "\n" ? "a line feed (LF)"
                : "control character U+\(String(format: "%04X", bad.value))"
            throw value.error("a header value must be one line: this one holds \(what)")
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// `http://127.0.0.1:3128`, `socks5://…`: a scheme curl speaks and a host.
    static func readProxy(_ value: YAMLValue) throws(ConfigError) -> String {
        let text = try headerValue(value)
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), proxySchemes.contains(scheme),
              let host = url.host, !host.isEmpty else {
            throw value.error("'\(RequestOptions(proxy: text).proxyForLogs)' is not a proxy URL: "
                              + "\(proxySchemes.joined(separator: ", "))://HOST[:PORT]")
        }
        return text
    }
}

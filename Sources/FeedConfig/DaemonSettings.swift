import Foundation

/// `server:` and `websub:`, read by `feedd run`.
extension ConfigLoader {
    /// `server: {listen: "127.0.0.1:8080"}`; `[::1]:8080` and `:8080` (all interfaces) too.
    static func readServer(_ value: YAMLValue?) throws(ConfigError) -> Config.ServerSettings? {
        guard let value else { return nil }
        let m = try value.mapping(allowed: ["listen"])
        let listen = try m.required("listen")
        let text = try listen.string()
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port) else {
            throw listen.error("'\(text)' is not HOST:PORT (e.g. 127.0.0.1:8080)")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return .init(host: host.isEmpty ? "0.0.0.0" : host, port: port)
    }

    /// `websub: {hub: https://hub.example/}`.
    static func readWebSub(_ value: YAMLValue?) throws(ConfigError) -> Config.WebSubSettings? {
        guard let value else { return nil }
        let m = try value.mapping(allowed: ["hub"])
        let hub = try m.required("hub")
        let text = try hub.string()
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw hub.error("'\(text)' is not an absolute http(s) URL")
        }
        return .init(hub: text)
    }
}

/// What one source adds to its requests (`headers:`, `proxy:`, `user_agent:`
/// in the config): the list, its bodies and its full-text pages all carry it.
/// Names and values are checked when the config loads (token names, no
/// CR/LF), so nothing here can split a request.
public struct RequestOptions: Sendable, Equatable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Extra request headers, in the order given.
    public var headers: [Header]
    /// `http://host:port`, `https://…` or `socks5://…` (`CURLOPT_PROXY`); nil: direct.
    public var proxy: String?
    /// Replaces `FetchSettings.userAgent` for these requests.
    public var userAgent: String?

    public struct Header: Sendable, Equatable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }

        /// `Name: value`, or `Name: <hidden>` for a secret.
        public var description: String {
            "\(name): " + (RequestOptions.secretHeaders.contains(name.lowercased()) ? "<hidden>" : value)
        }

        public var debugDescription: String { description }
    }

    public init(headers: [Header] = [], proxy: String? = nil, userAgent: String? = nil) {
        self.headers = headers
        self.proxy = proxy
        self.userAgent = userAgent
    }

    public static let none = RequestOptions()

    /// Header names whose values are secrets: never printed.
    public static let secretHeaders: Set<String> = ["cookie", "authorization", "proxy-authorization"]

    /// For logs: secret header values and a proxy's password are replaced by `<hidden>`.
    public var description: String {
        var parts = headers.map(\.description)
        if let proxy { parts.append("proxy \(Self.redactingPassword(proxy))") }
        if let userAgent { parts.append("user agent \(userAgent)") }
        return "[" + parts.joined(separator: ", ") + "]"
    }

    public var debugDescription: String { description }

    /// `http://user:secret@host:3128` → `http://user:<hidden>@host:3128`.
    static func redactingPassword(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") else { return url }
        let userinfo = url[scheme.upperBound..<at]
        guard let colon = userinfo.firstIndex(of: ":") else { return url }
        return String(url[..<url.index(after: colon)]) + "<hidden>" + String(url[at...])
    }
}

extension RequestOptions {
    /// The proxy as logs may show it (its password hidden).
    public var proxyForLogs: String { proxy.map(Self.redactingPassword) ?? "-" }
}

import Foundation

/// `images:`: how article images appear in every output. Applied when the
/// feeds are written, over the stored normalized bodies, so a change takes
/// effect at the next render (or SIGHUP) without fetching or normalizing anything.
public struct ImageSettings: Sendable, Equatable {
    /// `referrer_policy: no-referrer` (the default): every `<img>` carries
    /// `referrerpolicy="no-referrer"`, so the reader's page is not sent to
    /// image hosts that refuse hotlinking by `Referer`. `referrer_policy: none` leaves it off.
    public var noReferrer: Bool
    /// `proxy: "https://img.example/?url={url}"`: every image address is
    /// rewritten through this template, `{url}` replaced by the percent-encoded original.
    public var proxy: String?

    public init(noReferrer: Bool = true, proxy: String? = nil) {
        self.noReferrer = noReferrer
        self.proxy = proxy
    }
}

extension ConfigLoader {
    static let imageKeys = ["referrer_policy", "proxy"]
    static let referrerPolicies = ["no-referrer", "none"]

    static func readImages(_ value: YAMLValue?) throws(ConfigError) -> ImageSettings {
        var settings = ImageSettings()
        guard let value else { return settings }
        let m = try value.mapping(allowed: imageKeys)
        if let policy = m.optional("referrer_policy") {
            let text = try policy.string()
            guard referrerPolicies.contains(text) else {
                throw policy.error("'\(text)' is not a referrer policy feedd writes (\(referrerPolicies.joined(separator: " or ")))")
            }
            settings.noReferrer = text == "no-referrer"
        }
        if let proxy = m.optional("proxy") {
            let text = try proxy.string()
            let probe = text.replacingOccurrences(of: "{url}", with: "x")
            guard text.contains("{url}") else { throw proxy.error("the image proxy template needs '{url}' where the image's address goes") }
            guard let url = URL(string: probe), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil,
                  !probe.unicodeScalars.contains(where: { $0.value <= 0x20 || $0 == "\"" || $0 == "<" || $0 == ">" }) else {
                throw proxy.error("'\(text)' is not an absolute http(s) URL template (e.g. https://img.example/?url={url})")
            }
            settings.proxy = text
        }
        return settings
    }
}

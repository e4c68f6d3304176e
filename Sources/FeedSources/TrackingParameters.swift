import Foundation

/// Query parameters that say how a reader arrived, not which article it is.
/// Removed from links before a link serves as an item's identity, so the
/// same article shared through two channels is one item.
enum TrackingParameters {
    /// Exact names, compared lowercased.
    static let names: Set<String> = [
        // Ad and analytics click ids.
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "ttclid", "twclid", "igshid", "srsltid",
        "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "_openstat", "oly_anon_id", "oly_enc_id", "vero_id",
        // Chinese portals and apps: Alibaba's spm/scm, WeChat and Toutiao share marks.
        "spm", "scm", "from", "wxfrom", "isappinstalled", "share_token", "share_source", "tt_from", "tt_medium",
        "clicktime", "enterid", "sharer_sharetime", "sharer_shareid", "timestamp_share",
    ]
    /// Name prefixes, compared lowercased.
    static let prefixes = ["utm_", "hmsr", "hmpl", "hmcu", "hmkw", "hmci"]

    static func isTracking(_ name: String) -> Bool {
        let lower = name.lowercased()
        return names.contains(lower) || prefixes.contains { lower.hasPrefix($0) }
    }
}

/// A link as an identity: tracking parameters and the fragment removed.
enum LinkCleaner {
    /// `https://x.cn/a.html?id=7&utm_source=rss&spm=1#top` → `https://x.cn/a.html?id=7`.
    static func clean(_ link: String) -> String {
        var s = link.trimmed
        if let hash = s.firstIndex(of: "#") { s = String(s[..<hash]) }
        guard let q = s.firstIndex(of: "?") else { return s }
        let kept = s[s.index(after: q)...].split(separator: "&", omittingEmptySubsequences: true).filter { pair in
            let name = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            return !TrackingParameters.isTracking(name)
        }
        let path = String(s[..<q])
        return kept.isEmpty ? path : path + "?" + kept.joined(separator: "&")
    }
}

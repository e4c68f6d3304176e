import FeedModel
import Foundation

/// The site-wide facts every feed carries.
public struct SiteInfo: Sendable {
    public var title: String
    /// Public base URL of the output folder, ending in `/`.
    public var url: String
    public var language: String
    /// Dates are written in this zone (`+0800` for Asia/Shanghai).
    public var timezone: TimeZone

    public init(title: String, url: String, language: String, timezone: TimeZone) {
        self.title = title
        self.url = url.hasSuffix("/") ? url : url + "/"
        self.language = language
        self.timezone = timezone
    }
}

/// One category's feed: what to call it and where it lives.
public struct FeedChannel: Sendable {
    public var site: SiteInfo
    public var category: Category
    /// RSS `<ttl>` in minutes, from the category's shortest poll interval.
    public var ttlMinutes: Int?
    /// The WebSub hub readers may subscribe through (`<link rel="hub">`).
    public var hub: String?

    public init(site: SiteInfo, category: Category, ttlMinutes: Int? = nil, hub: String? = nil) {
        self.site = site
        self.category = category
        self.ttlMinutes = ttlMinutes
        self.hub = hub
    }

    /// Plain text, like every title.
    public var title: PlainText {
        PlainText(category == .all ? site.title : "\(category.name) - \(site.title)")
    }

    public var folderURL: String { site.url + category.slug.rawValue + "/" }
    public var rssURL: String { folderURL + "rss.xml" }
    public var atomURL: String { folderURL + "atom.xml" }

    /// Stable Atom ids: `tag:` URIs (RFC 4151) that do not depend on `site.url`,
    /// so moving the site does not make readers see every entry again.
    public static func atomID(of code: InfoCode) -> String { "tag:feedd,2021:item/\(code.rawValue)" }
    public var atomID: String { "tag:feedd,2021:feed/\(category.slug.rawValue)" }

    /// The article's link: upstream's page when it is an absolute http(s)
    /// URL, else the feed folder. Upstream links are hostile: a
    /// `javascript:` or `data:` link would run script in the reader that follows it.
    func link(of item: Item) -> String {
        guard let link = item.link, Self.isWebURL(link) else { return folderURL }
        return link
    }

    /// `http://` or `https://` (any case) followed by a host, and no
    /// whitespace, control or `<>"` anywhere.
    static func isWebURL(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { u in
            // Lowercased for the comparison: ASCII letters only (`|0x20` leaves `:` and `/` as they are).
            func at(_ i: Int) -> UInt8 { i < u.count ? u[i] | 0x20 : 0 }
            guard at(0) == 0x68, at(1) == 0x74, at(2) == 0x74, at(3) == 0x70 else { return false } // http
            let rest = at(4) == 0x73 ? 5 : 4 // https
            guard at(rest) == 0x3A, at(rest + 1) == 0x2F, at(rest + 2) == 0x2F, u.count > rest + 3 else { return false }
            return !u.contains { $0 <= 0x20 || $0 == 0x7F || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 }
        }
    }

    /// A feed's own date is its newest item's, never the build time, so an
    /// unchanged feed renders to the same bytes. An empty feed has a fixed
    /// date: 2021-01-01 (the validator calls anything before 1990 implausible).
    static func newest(_ items: [Item]) -> Date {
        items.map(\.updated).max() ?? Date(timeIntervalSince1970: 1_609_459_200)
    }
}

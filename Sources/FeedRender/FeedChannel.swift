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

    public var title: String {
        category == .all ? site.title : "\(category.name) - \(site.title)"
    }

    public var folderURL: String { site.url + category.slug.rawValue + "/" }
    public var rssURL: String { folderURL + "rss.xml" }
    public var atomURL: String { folderURL + "atom.xml" }

    /// Stable Atom ids: `tag:` URIs (RFC 4151) that do not depend on `site.url`,
    /// so moving the site does not make readers see every entry again.
    public static func atomID(of code: InfoCode) -> String { "tag:feedd,2021:item/\(code.rawValue)" }
    public var atomID: String { "tag:feedd,2021:feed/\(category.slug.rawValue)" }

    /// The article's link: upstream's page when known, else the feed folder.
    func link(of item: Item) -> String { item.link ?? folderURL }

    /// A feed's own date is its newest item's, never the build time, so an
    /// unchanged feed renders to the same bytes.
    static func newest(_ items: [Item]) -> Date {
        items.map(\.updated).max() ?? Date(timeIntervalSince1970: 0)
    }
}

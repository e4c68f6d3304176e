import FeedModel
import Foundation

/// `index.html`: every category with its item count, newest item time and
/// subscribe links, and `<link rel="alternate">` tags so readers given the
/// site's address discover the feeds themselves. Well-formed XHTML-compatible
/// HTML5, so it parses as XML too. Every name on it is plain text, encoded by
/// `MarkupWriter` like any feed's: no upstream string can become markup here.
public enum IndexPage {
    public struct Entry: Sendable {
        public var category: Category
        public var itemCount: Int
        public var newest: Date?

        public init(category: Category, itemCount: Int, newest: Date?) {
            self.category = category
            self.itemCount = itemCount
            self.newest = newest
        }
    }

    public static func render(site: SiteInfo, entries: [Entry]) -> [UInt8] {
        var w = MarkupWriter(declaration: false)
        w.raw("<!DOCTYPE html>")
        w.start("html", ["lang": site.language])
        w.start("head")
        w.empty("meta", ["charset": "utf-8"])
        w.text("title", PlainText(site.title))
        for entry in entries {
            let c = FeedChannel(site: site, category: entry.category)
            w.empty("link", ["rel": "alternate", "type": "application/rss+xml", "title": c.title.string, "href": c.rssURL])
            w.empty("link", ["rel": "alternate", "type": "application/atom+xml", "title": c.title.string, "href": c.atomURL])
            w.empty("link", ["rel": "alternate", "type": "application/feed+json", "title": c.title.string, "href": c.jsonFeedURL])
        }
        w.end()
        w.start("body")
        w.text("h1", PlainText(site.title))
        w.start("p")
        w.text("a", PlainText("OPML"), ["href": site.url + "opml.xml"])
        w.end()
        w.start("table")
        w.start("thead")
        w.start("tr")
        for heading in ["分类", "条目", "最新", "订阅"] { w.text("th", PlainText(heading)) }
        w.end()
        w.end()
        w.start("tbody")
        for entry in entries {
            let c = FeedChannel(site: site, category: entry.category)
            let newest = entry.newest.map { FeedDates.rfc3339($0, in: site.timezone) } ?? "—"
            w.start("tr", ["class": "category", "data-slug": entry.category.slug.rawValue])
            w.text("td", entry.category.nameText)
            w.value("td", String(entry.itemCount), ["class": "count"])
            w.value("td", newest, ["class": "newest"])
            w.start("td")
            w.text("a", PlainText("RSS"), ["href": c.rssURL])
            w.text("a", PlainText("Atom"), ["href": c.atomURL])
            w.text("a", PlainText("JSON"), ["href": c.jsonFeedURL])
            w.end()
            w.end()
        }
        return w.finish()
    }
}

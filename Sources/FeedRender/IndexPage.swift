import FeedModel
import Foundation

/// `index.html`, the site's front page: every category and topic with its
/// newest headlines (linking to the article pages), item count and subscribe
/// links, `<link rel="alternate">` for every feed, and OPML. Well-formed
/// XHTML-compatible HTML5, so it parses as XML too. Every name and title on
/// it is plain text, encoded by `MarkupWriter` like any feed's.
public enum IndexPage {
    public struct Entry: Sendable {
        public var category: Category
        public var itemCount: Int
        public var newest: Date?
        /// Its newest items (for `all`, one per story), newest first; each links to
        /// `<slug>/<infoCode>.html` when the site has pages.
        public var headlines: [Item]

        public init(category: Category, itemCount: Int, newest: Date?, headlines: [Item] = []) {
            self.category = category
            self.itemCount = itemCount
            self.newest = newest
            self.headlines = headlines
        }
    }

    public static func render(site: SiteInfo, entries: [Entry]) -> [UInt8] {
        var w = MarkupWriter(declaration: false, capacity: 16_384)
        PageShell.open(&w, site: site, title: PlainText(site.title), root: "",
                       feeds: entries.map { FeedChannel(site: site, category: $0.category) })
        w.start("div", ["class": "sections"])
        for entry in entries { section(&w, entry, site: site) }
        w.end()
        return PageShell.close(&w, root: "")
    }

    private static func section(_ w: inout MarkupWriter, _ entry: Entry, site: SiteInfo) {
        let folder = entry.category.slug.rawValue + "/"
        w.start("section", ["class": "category", "data-slug": entry.category.slug.rawValue])
        w.start("h2")
        w.text("a", entry.category.nameText, ["href": folder])
        w.value("span", String(entry.itemCount), ["class": "count"])
        w.end()
        if entry.headlines.isEmpty {
            w.text("p", PlainText("暂无条目"), ["class": "empty"])
        } else {
            w.start("ol", ["class": "headlines"])
            for item in entry.headlines {
                w.start("li")
                w.text("a", item.titleText, ["href": folder + PageShell.articleFile(item)])
                PageShell.meta(&w, item, site: site, withYear: false)
                w.end()
            }
            w.end()
        }
        PageShell.subscribe(&w, folder: folder)
        w.end()
    }
}

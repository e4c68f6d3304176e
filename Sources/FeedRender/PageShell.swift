import FeedModel
import Foundation

/// What every page of the site shares: the head (charset, viewport, the one
/// stylesheet, autodiscovery of the page's feeds) and the header and footer.
/// Links between pages are relative (`root` is `""` on the front page and
/// `"../"` in a category's folder), so the site works wherever it is served;
/// the feed links a reader subscribes to are absolute, like the feeds' own.
/// No script, no font, nothing loaded from another host.
public enum PageShell {
    /// The stylesheet's path under the output folder.
    public static let stylesheet = "style.css"

    /// Opens `<html>`, writes the head and the site header, and leaves `<main>` open.
    static func open(_ w: inout MarkupWriter, site: SiteInfo, title: PlainText, root: String, feeds: [FeedChannel]) {
        w.raw("<!DOCTYPE html>")
        w.start("html", ["lang": site.language])
        w.start("head")
        w.empty("meta", ["charset": "utf-8"])
        w.empty("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"])
        w.empty("meta", ["name": "color-scheme", "content": "light dark"])
        w.text("title", title)
        w.empty("link", ["rel": "stylesheet", "href": root + stylesheet])
        for c in feeds { alternates(&w, c) }
        w.end()
        w.start("body")
        w.start("header", ["class": "site"])
        w.text("a", PlainText(site.title), ["class": "home", "href": root.isEmpty ? "./" : root])
        w.end()
        w.start("main")
    }

    /// Closes `<main>`, writes the footer (OPML) and ends the document.
    static func close(_ w: inout MarkupWriter, root: String) -> [UInt8] {
        w.end()
        w.start("footer", ["class": "site"])
        w.text("a", PlainText("OPML"), ["href": root + "opml.xml", "type": "text/x-opml"])
        w.end()
        return w.finish()
    }

    /// The three `<link rel="alternate">` of a category's feeds.
    static func alternates(_ w: inout MarkupWriter, _ c: FeedChannel) {
        w.empty("link", ["rel": "alternate", "type": "application/rss+xml", "title": c.title.string, "href": c.rssURL])
        w.empty("link", ["rel": "alternate", "type": "application/atom+xml", "title": c.title.string, "href": c.atomURL])
        w.empty("link", ["rel": "alternate", "type": "application/feed+json", "title": c.title.string, "href": c.jsonFeedURL])
    }

    /// The subscribe links of a category's feeds, relative to the page (`folder`: the feeds' folder from it).
    static func subscribe(_ w: inout MarkupWriter, folder: String) {
        w.start("p", ["class": "feeds"])
        w.text("a", PlainText("RSS"), ["href": folder + "rss.xml", "type": "application/rss+xml"])
        w.text("a", PlainText("Atom"), ["href": folder + "atom.xml", "type": "application/atom+xml"])
        w.text("a", PlainText("JSON Feed"), ["href": folder + "feed.json", "type": "application/feed+json"])
        w.end()
    }

    /// An item's time and outlet: `<time datetime="…">12-29 15:06</time>`, the outlet as text.
    static func meta(_ w: inout MarkupWriter, _ item: Item, site: SiteInfo, withYear: Bool, element: String = "span") {
        w.start(element, ["class": "meta"])
        w.text("time", PlainText(FeedDates.display(item.published, in: site.timezone, withYear: withYear)),
               ["datetime": FeedDates.rfc3339(item.published, in: site.timezone)])
        if let outlet = item.outletText, !outlet.isEmpty { w.text("span", outlet, ["class": "outlet"]) }
        w.end()
    }

    /// An article page's path in its category's folder: `<infoCode>.html`.
    public static func articleFile(_ item: Item) -> String { item.infoCode.rawValue + ".html" }
}

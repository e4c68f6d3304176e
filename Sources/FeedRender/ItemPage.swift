import FeedModel
import Foundation

/// `<slug>/<infoCode>.html`: an article as the category `channel` shows it —
/// title, time, outlet, the normalized body (or the summary as text when it
/// has none), the link to the original (only an absolute http(s) URL), and
/// links back to the pages of its categories.
public enum ItemPage {
    public static func render(_ channel: FeedChannel, item: Item) -> [UInt8] {
        let site = channel.site
        var w = MarkupWriter(declaration: false, capacity: item.body.utf8.count + 4096)
        PageShell.open(&w, site: site, title: PlainText(item.title + " - " + site.title), root: "../", feeds: [channel])
        w.start("article")
        w.text("h1", item.titleText)
        PageShell.meta(&w, item, site: site, withYear: true, element: "p")
        w.start("div", ["class": "body"])
        w.fragment(item.contentHTML)
        w.end()
        if let link = item.link, FeedChannel.isWebURL(link) {
            w.start("p", ["class": "original"])
            w.text("a", PlainText("阅读原文"), ["href": link, "rel": "noopener noreferrer"])
            w.end()
        }
        w.start("nav", ["class": "categories"])
        let categories = channel.category == .all || item.categories.contains(channel.category)
            ? item.categories : [channel.category] + item.categories
        for category in categories {
            w.text("a", category.nameText, ["href": "../" + category.slug.rawValue + "/"])
        }
        w.text("a", PlainText(Category.all.name), ["href": "../all/"])
        w.end()
        w.end()
        return PageShell.close(&w, root: "../")
    }
}

import FeedModel
import Foundation

/// `<slug>/index.html`: a category's (or topic's, or `all`'s) newest items,
/// newest first, each with its time, outlet and summary (plain text), the
/// title linking to the article page beside it; the category's feeds as
/// subscribe links and autodiscovery.
public enum CategoryPage {
    public static func render(_ channel: FeedChannel, items: [Item]) -> [UInt8] {
        let site = channel.site
        var w = MarkupWriter(declaration: false, capacity: 32_768)
        PageShell.open(&w, site: site, title: channel.title, root: "../", feeds: [channel])
        w.text("h1", channel.category.nameText)
        PageShell.subscribe(&w, folder: "")
        if items.isEmpty { w.text("p", PlainText("暂无条目"), ["class": "empty"]) }
        w.start("ol", ["class": "items"])
        for item in items {
            w.start("li", ["class": "item"])
            w.start("h2")
            w.text("a", item.titleText, ["href": PageShell.articleFile(item)])
            w.end()
            PageShell.meta(&w, item, site: site, withYear: true, element: "p")
            if !item.summary.isEmpty { w.text("p", item.summaryText, ["class": "summary"]) }
            w.end()
        }
        w.end()
        return PageShell.close(&w, root: "../")
    }
}

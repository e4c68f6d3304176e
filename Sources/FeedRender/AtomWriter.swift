import FeedModel

/// Atom 1.0 (RFC 4287): stable `tag:` ids, `updated` that moves only when an
/// item changes, HTML content, the outlet as author.
///
/// Content models (see `Encoding`): titles, names, summaries and category
/// labels are plain text (`type="text"`, or escaped as `type="html"` when
/// they hold an end tag: `MarkupWriter.atomText`); `content` is HTML (`type="html"`).
public enum AtomWriter {
    public static func render(_ channel: FeedChannel, items: [Item]) -> [UInt8] {
        var w = MarkupWriter(capacity: 1024 + items.reduce(0) { $0 + $1.body.utf8.count + 1024 })
        let zone = channel.site.timezone
        w.start("feed", ["xmlns": "http://www.w3.org/2005/Atom", "xml:lang": channel.site.language])
        w.value("id", channel.atomID)
        w.atomText("title", channel.title)
        w.date("updated", FeedChannel.newest(items), in: zone, rfc822: false)
        w.empty("link", ["rel": "self", "type": "application/atom+xml", "href": channel.atomURL])
        w.empty("link", ["rel": "alternate", "type": "text/html", "href": channel.site.url])
        if let hub = channel.hub { w.empty("link", ["rel": "hub", "href": hub]) }
        // RFC 4287 §4.1.1: a feed needs an author unless every entry has one.
        w.start("author")
        w.text("name", PlainText(channel.site.title))
        w.end()
        w.value("generator", "feedd")
        for item in items {
            w.start("entry")
            w.value("id", FeedChannel.atomID(of: item.infoCode))
            w.atomText("title", item.titleText)
            w.date("updated", item.updated, in: zone, rfc822: false)
            w.date("published", item.published, in: zone, rfc822: false)
            if let outlet = item.outletText {
                w.start("author")
                w.text("name", outlet)
                w.end()
            }
            w.empty("link", ["rel": "alternate", "type": "text/html", "href": channel.link(of: item)])
            for category in item.categories {
                w.empty("category", ["term": category.slug.rawValue, "label": category.name])
            }
            if !item.summary.isEmpty { w.atomText("summary", item.summaryText) }
            w.html("content", item.contentHTML, ["type": "html"])
            w.end()
        }
        return w.finish()
    }
}

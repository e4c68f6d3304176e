import FeedModel

/// RSS 2.0 with the body in `content:encoded` and the outlet in `dc:creator`.
///
/// Content models (see `Encoding`): `title`, `dc:creator`, `category` and the
/// channel `description` are plain text; the item `description` and
/// `content:encoded` are HTML (every reader renders `description` as HTML,
/// so the plain-text summary goes there escaped as HTML).
public enum RSSWriter {
    public static func render(_ channel: FeedChannel, items: [Item]) -> [UInt8] {
        var w = MarkupWriter(capacity: 1024 + items.reduce(0) { $0 + 2 * $1.body.utf8.count + 1024 })
        let zone = channel.site.timezone
        w.start("rss", ["version": "2.0",
                        "xmlns:atom": "http://www.w3.org/2005/Atom",
                        "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
                        "xmlns:dc": "http://purl.org/dc/elements/1.1/"])
        w.start("channel")
        w.text("title", channel.title)
        w.value("link", channel.site.url)
        w.text("description", channel.title)
        w.empty("atom:link", ["href": channel.rssURL, "rel": "self", "type": "application/rss+xml"])
        if let hub = channel.hub { w.empty("atom:link", ["href": hub, "rel": "hub"]) }
        w.value("language", channel.site.language)
        w.value("generator", "feedd")
        if !items.isEmpty { w.date("lastBuildDate", FeedChannel.newest(items), in: zone, rfc822: true) }
        if let ttl = channel.ttlMinutes { w.value("ttl", String(ttl)) }
        for item in items {
            w.start("item")
            w.text("title", item.titleText)
            w.value("link", channel.link(of: item))
            w.value("guid", item.infoCode.rawValue, ["isPermaLink": "false"])
            w.date("pubDate", item.published, in: zone, rfc822: true)
            w.text("dc:creator", item.outletText)
            for category in item.categories { w.text("category", category.nameText) }
            w.html("description", HTMLFragment(escaping: item.summaryText))
            w.html("content:encoded", item.contentHTML)
            w.end()
        }
        return w.finish()
    }
}

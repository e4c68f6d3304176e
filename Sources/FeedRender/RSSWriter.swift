import FeedModel

/// RSS 2.0 with the body in `content:encoded` and the outlet in `dc:creator`.
public enum RSSWriter {
    public static func render(_ channel: FeedChannel, items: [Item]) -> [UInt8] {
        let w = XMLWriter()
        let zone = channel.site.timezone
        w.start("rss", ["version": "2.0",
                        "xmlns:atom": "http://www.w3.org/2005/Atom",
                        "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
                        "xmlns:dc": "http://purl.org/dc/elements/1.1/"])
        w.start("channel")
        w.element("title", channel.title)
        w.element("link", channel.site.url)
        w.element("description", channel.title)
        w.empty("atom:link", ["href": channel.rssURL, "rel": "self", "type": "application/rss+xml"])
        if let hub = channel.hub { w.empty("atom:link", ["href": hub, "rel": "hub"]) }
        w.element("language", channel.site.language)
        w.element("generator", "feedd")
        if !items.isEmpty { w.element("lastBuildDate", FeedDates.rfc822(FeedChannel.newest(items), in: zone)) }
        if let ttl = channel.ttlMinutes { w.element("ttl", String(ttl)) }
        for item in items {
            w.start("item")
            w.element("title", item.title)
            w.element("link", channel.link(of: item))
            w.element("guid", item.infoCode.rawValue, ["isPermaLink": "false"])
            w.element("pubDate", FeedDates.rfc822(item.published, in: zone))
            w.element("dc:creator", item.outlet)
            for category in item.categories { w.element("category", category.name) }
            w.element("description", item.summary)
            w.element("content:encoded", item.body.isEmpty ? item.summary : item.body)
            w.end()
        }
        w.end()
        w.end()
        return w.finish()
    }
}

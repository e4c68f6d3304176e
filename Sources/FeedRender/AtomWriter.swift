import FeedModel

/// Atom 1.0 (RFC 4287): stable `tag:` ids, `updated` that moves only when an
/// item changes, HTML content, the outlet as author.
public enum AtomWriter {
    public static func render(_ channel: FeedChannel, items: [Item]) -> [UInt8] {
        let w = XMLWriter()
        let zone = channel.site.timezone
        w.start("feed", ["xmlns": "http://www.w3.org/2005/Atom", "xml:lang": channel.site.language])
        w.element("id", channel.atomID)
        w.element("title", channel.title)
        w.element("updated", FeedDates.rfc3339(FeedChannel.newest(items), in: zone))
        w.empty("link", ["rel": "self", "type": "application/atom+xml", "href": channel.atomURL])
        w.empty("link", ["rel": "alternate", "type": "text/html", "href": channel.site.url])
        if let hub = channel.hub { w.empty("link", ["rel": "hub", "href": hub]) }
        // RFC 4287 §4.1.1: a feed needs an author unless every entry has one.
        w.start("author")
        w.element("name", channel.site.title)
        w.end()
        w.element("generator", "feedd")
        for item in items {
            w.start("entry")
            w.element("id", FeedChannel.atomID(of: item.infoCode))
            w.element("title", item.title, ["type": "text"])
            w.element("updated", FeedDates.rfc3339(item.updated, in: zone))
            w.element("published", FeedDates.rfc3339(item.published, in: zone))
            if let outlet = item.outlet {
                w.start("author")
                w.element("name", outlet)
                w.end()
            }
            w.empty("link", ["rel": "alternate", "type": "text/html", "href": channel.link(of: item)])
            for related in item.related {
                if let link = related.link { w.empty("link", ["rel": "related", "type": "text/html", "href": link, "title": related.outlet]) }
            }
            for category in item.categories {
                w.empty("category", ["term": category.slug.rawValue, "label": category.name])
            }
            if !item.summary.isEmpty { w.element("summary", item.summary, ["type": "text"]) }
            w.element("content", item.body.isEmpty ? item.summary : item.body, ["type": "html"])
            w.end()
        }
        w.end()
        return w.finish()
    }
}

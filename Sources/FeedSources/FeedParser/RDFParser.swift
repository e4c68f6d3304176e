/// RSS 1.0 and RSS 0.90: `<rdf:RDF>` with `<item>`s beside (not inside) `<channel>`.
enum RDFParser {
    static func parse(_ root: XMLElementNode) -> ParsedFeed {
        let channel = root.first("channel", in: FeedNamespaces.rssCore)
        var items = root.all("item", in: FeedNamespaces.rssCore)
        if let channel { items += channel.all("item", in: FeedNamespaces.rssCore) }
        let entries = items.map { item in
            var entry = RSSParser.entry(item)
            // RSS 1.0 has no guid; rdf:about is the item's URI.
            if entry.id == nil { entry.id = item.attribute("about", namespace: FeedNamespaces.rdf).flatMap(RSSParser.nonEmpty) }
            return entry
        }
        return ParsedFeed(format: .rdf, title: UpstreamText.from(channel?.first("title", in: FeedNamespaces.rssCore)?.text),
                          entries: entries, notes: [])
    }
}

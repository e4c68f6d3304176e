import Foundation

/// RSS 0.91, 0.92, 0.93, 0.94 and 2.0: `<rss><channel><item>`.
enum RSSParser {
    static func parse(_ root: XMLElementNode) -> ParsedFeed {
        let channel = root.first("channel", in: FeedNamespaces.rssCore) ?? root
        // Some feeds close <channel> before their items: take items under <rss> too.
        var items = channel.all("item", in: FeedNamespaces.rssCore)
        if channel !== root { items += root.all("item", in: FeedNamespaces.rssCore) }
        return ParsedFeed(format: .rss, title: UpstreamText.from(channel.first("title", in: FeedNamespaces.rssCore)?.text),
                          entries: items.map(entry), notes: [])
    }

    /// One `<item>` (RSS 1.0 items have the same children; see `RDFParser`).
    static func entry(_ item: XMLElementNode) -> FeedEntry {
        let core = FeedNamespaces.rssCore
        let guid = item.first("guid", in: core)
        let guidText = guid.flatMap { nonEmpty($0.text) }
        var link = item.first("link", in: core).flatMap { nonEmpty($0.text) }.map { ReferenceResolver.resolve($0, against: item.base) }
        if link == nil {
            link = atomAlternate(item)
        }
        // A guid is a permalink unless it says otherwise (RSS 2.0 §guid).
        if link == nil, let guidText, guid?.attribute("isPermaLink")?.lowercased() != "false",
           guidText.hasPrefix("http://") || guidText.hasPrefix("https://") {
            link = guidText
        }
        let date = item.first("pubDate", in: core) ?? item.first("date", in: FeedNamespaces.dublinCore)
            ?? item.first("published", in: FeedNamespaces.atom) ?? item.first("updated", in: FeedNamespaces.atom)
        let categories = (item.all("category", in: core) + item.all("subject", in: FeedNamespaces.dublinCore))
            .compactMap { UpstreamText.from($0.text) }
        let description = item.first("description", in: core).flatMap { nonEmpty($0.markup) }
        let encoded = item.first("encoded", in: FeedNamespaces.contentModule).flatMap { nonEmpty($0.markup) }
        return FeedEntry(id: guidText, title: UpstreamText.from(item.first("title", in: core)?.text), link: link,
                         date: date.flatMap { nonEmpty($0.text) }, categories: categories,
                         summary: encoded == nil ? nil : description, content: encoded ?? description)
    }

    /// `<atom:link rel="alternate" href>` inside an RSS item, which some feeds use instead of `<link>`.
    private static func atomAlternate(_ item: XMLElementNode) -> String? {
        item.all("link", in: FeedNamespaces.atom)
            .first { ($0.attribute("rel") ?? "alternate") == "alternate" }
            .flatMap { l in l.attribute("href").map { ReferenceResolver.resolve($0, against: l.base) } }
    }

    static func nonEmpty(_ s: String) -> String? {
        let t = s.trimmed
        return t.isEmpty ? nil : t
    }
}

import FeedModel
import Foundation

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
        let milliseconds = tieBreaks(items)
        for (index, item) in items.enumerated() {
            w.start("entry")
            w.value("id", FeedChannel.atomID(of: item.infoCode))
            w.atomText("title", item.titleText)
            w.date("updated", item.updated, in: zone, rfc822: false, millisecond: milliseconds[index])
            w.date("published", item.published, in: zone, rfc822: false)
            if let outlet = item.outletText {
                w.start("author")
                w.text("name", outlet)
                w.end()
            }
            w.empty("link", ["rel": "alternate", "type": "text/html", "href": channel.link(of: item)])
            for related in item.related {
                if let link = related.link { w.empty("link", ["rel": "related", "type": "text/html", "href": link, "title": related.outlet]) }
            }
            for category in item.categories {
                // A label is an attribute: no type can declare markup in it, so a name that
                // holds an end tag is left to the term (validator: ContainsHTML).
                let label = MarkupWriter.looksLikeMarkup(category.name) ? nil : category.name
                w.empty("category", ["term": category.slug.rawValue, "label": label])
            }
            let content = item.contentHTML
            if !item.summary.isEmpty {
                w.atomText("summary", item.summaryText)
            } else if content.isEmpty {
                // Nothing to show but the title: an entry needs textual content (validator: MissingTextualContent).
                w.atomText("summary", item.titleText)
            }
            // An empty content element is a warning (NotBlank); the alternate link stands in for it (RFC 4287 §4.1.1.1).
            if !content.isEmpty { w.html("content", content, ["type": "html"]) }
            w.end()
        }
        return w.finish()
    }

    /// The validator warns on two entries with the same `updated` (DuplicateUpdated),
    /// and feeds list many items of the same minute. An entry whose `updated`
    /// second another entry of the feed shares gets a millisecond from its
    /// code's FNV-1a hash (the next free one on a clash): stable for the item,
    /// and less than a second off. Others get none (nil).
    static func tieBreaks(_ items: [Item]) -> [Int?] {
        var perSecond: [Int64: Int] = [:]
        for item in items { perSecond[Int64(item.updated.timeIntervalSince1970.rounded(.down)), default: 0] += 1 }
        guard perSecond.count < items.count else { return Array(repeating: nil, count: items.count) }
        var used = Set<Int64>()
        return items.map { item in
            let second = Int64(item.updated.timeIntervalSince1970.rounded(.down))
            guard perSecond[second, default: 0] > 1 else { return nil }
            var ms = Int(FNV1a.hash(item.infoCode.rawValue) % 1000)
            // (More than a thousand entries in one second cannot all differ; the rest keep their clash.)
            var attempts = 0
            while !used.insert(second * 1000 + Int64(ms)).inserted && attempts < 1000 {
                ms = (ms + 1) % 1000
                attempts += 1
            }
            return ms
        }
    }
}

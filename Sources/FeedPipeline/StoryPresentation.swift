import FeedModel
import FeedNormalize
import FeedStore
import Foundation

/// How a story looks in `all/`: its representative, whose content ends with
/// a line naming the other outlets (`同时刊发：证券时报 · 第一财经`, each a link),
/// and whose `updated` moves when one joins.
enum StoryPresentation {
    static let label = "同时刊发："
    static let separator = " · "

    static func item(for entry: StoryEntry) -> Item {
        var item = entry.item
        guard !entry.others.isEmpty else { return item }
        let links = entry.others.map { member in (member, safeLink(member.link)) }
        // A representative without a body shows its summary as content: keep it there, before the line.
        if item.body.isEmpty && !item.summary.isEmpty {
            item.body = HTMLNormalizer.normalize("<p>" + escaped(item.summary) + "</p>", articleURL: nil).html
        }
        item.body += line(links.map { (outlet: $0.0.outlet, link: $0.1) })
        item.related = links.map { Item.Related(infoCode: $0.0.infoCode, outlet: $0.0.outlet, link: $0.1) }
        if let joined = entry.lastJoined, joined > item.updated { item.updated = joined }
        return item
    }

    /// The line as normalized HTML: built with escaped text, then put through
    /// the normalizer like every other piece of HTML feedd writes.
    static func line(_ outlets: [(outlet: String, link: String?)]) -> String {
        let parts = outlets.map { o in
            o.link.map { "<a href=\"\(escaped($0))\">\(escaped(o.outlet))</a>" } ?? escaped(o.outlet)
        }
        let html = "<p>" + escaped(label) + parts.joined(separator: escaped(separator)) + "</p>"
        let normalized = HTMLNormalizer.normalize(html, articleURL: nil).html
        return normalized.isEmpty ? "" : "\n" + normalized
    }

    /// The link as the normalizer keeps an `a href` (absolute http or https), else nil.
    static func safeLink(_ link: String?) -> String? {
        link.flatMap(HTMLNormalizer.webLink)
    }

    private static func escaped(_ text: String) -> String { HTMLFragment(escaping: PlainText(text)).html }
}

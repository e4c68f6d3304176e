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
            item.body = HTMLNormalizer.normalize("<p>" + XMLEscape.text(item.summary) + "</p>", articleURL: nil).html
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
            o.link.map { "<a href=\"\(XMLEscape.attribute($0))\">\(XMLEscape.text(o.outlet))</a>" } ?? XMLEscape.text(o.outlet)
        }
        let html = "<p>" + XMLEscape.text(label) + parts.joined(separator: XMLEscape.text(separator)) + "</p>"
        let normalized = HTMLNormalizer.normalize(html, articleURL: nil).html
        return normalized.isEmpty ? "" : "\n" + normalized
    }

    /// The link as the normalizer keeps it (absolute http or https), else nil.
    static func safeLink(_ link: String?) -> String? {
        guard let link, !link.isEmpty else { return nil }
        let out = HTMLNormalizer.normalize("<a href=\"\(XMLEscape.attribute(link))\">x</a>", articleURL: nil).html
        guard let start = out.range(of: "href=\""), let end = out[start.upperBound...].firstIndex(of: "\"") else { return nil }
        let href = XMLEscape.unescape(String(out[start.upperBound..<end]))
        let scheme = href.prefix(while: { $0 != ":" }).lowercased()
        return scheme == "http" || scheme == "https" ? href : nil
    }
}

/// The few escapes the story line needs (the writers escape the feeds themselves).
enum XMLEscape {
    static func text(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    static func attribute(_ s: String) -> String { text(s).replacingOccurrences(of: "\"", with: "&quot;") }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

import Foundation

/// Atom 1.0 (RFC 4287) and Atom 0.3: `<feed><entry>`.
enum AtomParser {
    static func parse(_ root: XMLElementNode) -> ParsedFeed {
        let version: FeedFormat = root.namespace == FeedNamespaces.atom03 ? .atom03 : .atom10
        let ns: Set<String> = [root.namespace]
        let entries = root.all("entry", in: ns).map { entry($0, ns: ns, version: version) }
        return ParsedFeed(format: version, title: root.first("title", in: ns).flatMap { plainText($0, version: version) },
                          entries: entries, notes: [])
    }

    static func entry(_ e: XMLElementNode, ns: Set<String>, version: FeedFormat) -> FeedEntry {
        // 1.0 dates: published, else updated. 0.3: issued, created, modified.
        let dateNames = version == .atom03 ? ["issued", "created", "modified"] : ["published", "updated", "issued", "modified"]
        let date = dateNames.lazy.compactMap { e.first($0, in: ns) }.first ?? e.first("date", in: FeedNamespaces.dublinCore)
        let categories = e.all("category", in: ns).compactMap { c in
            UpstreamText.from(c.attribute("label")) ?? UpstreamText.from(c.attribute("term")) ?? UpstreamText.from(c.text)
        } + e.all("subject", in: FeedNamespaces.dublinCore).compactMap { UpstreamText.from($0.text) }
        return FeedEntry(id: e.first("id", in: ns).flatMap { RSSParser.nonEmpty($0.text) },
                         title: e.first("title", in: ns).flatMap { plainText($0, version: version) },
                         link: alternateLink(e, ns: ns),
                         date: date.flatMap { RSSParser.nonEmpty($0.text) },
                         categories: categories,
                         summary: e.first("summary", in: ns).flatMap { html($0, version: version) },
                         content: e.first("content", in: ns).flatMap { html($0, version: version) })
    }

    /// `rel="alternate"` (the default), an HTML type preferred; resolved against its `xml:base`.
    static func alternateLink(_ e: XMLElementNode, ns: Set<String>) -> String? {
        let alternates = e.all("link", in: ns).filter { ($0.attribute("rel") ?? "alternate") == "alternate" }
        let best = alternates.first { $0.attribute("type").map(isHTMLType) == true } ?? alternates.first
        guard let best, let href = best.attribute("href"), !href.isEmpty else { return nil }
        return ReferenceResolver.resolve(href, against: best.base)
    }

    /// How a text construct carries its content.
    enum Kind {
        case text, html, xhtml, base64, other
    }

    /// RFC 4287 §3.1 `type` (text, html, xhtml, a MIME type); Atom 0.3's
    /// `mode` (xml, escaped, base64) with `type` a MIME type.
    static func kind(_ e: XMLElementNode, version: FeedFormat) -> Kind {
        let type = e.attribute("type")?.lowercased()
        if version == .atom03 {
            switch e.attribute("mode")?.lowercased() {
            case "escaped": return type.map(isHTMLType) == true ? .html : .text
            case "base64": return .base64
            default: return type.map(isHTMLType) == true ? .xhtml : .text // mode="xml": inline markup
            }
        }
        switch type {
        case nil, "text", "text/plain"?: return .text
        case "html"?, "text/html"?: return .html
        case "xhtml"?, "application/xhtml+xml"?: return .xhtml
        default: return .other
        }
    }

    /// A text construct as HTML (escaped when it was plain text); nil when empty or out of line (`src`).
    static func html(_ e: XMLElementNode, version: FeedFormat) -> String? {
        guard e.attribute("src") == nil else { return nil }
        let value: String
        switch kind(e, version: version) {
        case .text: value = e.children.isEmpty ? "" : XMLElementNode.escape(e.text, quotes: false)
        case .html: value = e.markup
        case .xhtml:
            // The content sits in one <div> (RFC 4287 §4.1.3.3): take what it holds.
            let div = e.elements.count == 1 ? e.elements.first.flatMap { $0.name == "div" ? $0 : nil } : nil
            value = (div ?? e).innerXML
        case .base64:
            guard let data = Data(base64Encoded: e.text, options: .ignoreUnknownCharacters) else { return nil }
            value = String(decoding: data, as: UTF8.self)
        case .other:
            return nil
        }
        return RSSParser.nonEmpty(value)
    }

    /// `text/html`, `application/xhtml+xml`: a MIME type (or Atom 1.0 name) that holds HTML.
    static func isHTMLType(_ type: String) -> Bool {
        let lower = type.lowercased()
        return lower.hasSuffix("html") || lower.hasSuffix("html+xml")
    }

    /// A title: plain text whatever its type.
    static func plainText(_ e: XMLElementNode, version: FeedFormat) -> String? {
        switch kind(e, version: version) {
        case .text: UpstreamText.from(XMLElementNode.escape(e.text, quotes: false))
        default: UpstreamText.from(html(e, version: version))
        }
    }
}

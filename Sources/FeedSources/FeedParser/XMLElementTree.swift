/// A small read-only element tree built from libxml2's SAX events (see
/// `XMLTreeBuilder`): just what feed mapping needs (names, namespaces,
/// attributes, text, `xml:base`), built with a depth limit checked as each
/// element opens.
final class XMLElementNode {
    let name: String
    let namespace: String
    let attributes: [XMLAttribute]
    /// The base URI in effect for this element: `xml:base` resolved against the parent's.
    let base: String
    private(set) var children: [Child] = []

    enum Child {
        case element(XMLElementNode)
        case text(String)
    }

    init(name: String, namespace: String, attributes: [XMLAttribute], base: String) {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
        self.base = base
    }

    func append(_ child: Child) { children.append(child) }

    var elements: [XMLElementNode] {
        children.compactMap { if case .element(let e) = $0 { e } else { nil } }
    }

    /// The first child element named `name` in one of `namespaces`.
    func first(_ name: String, in namespaces: Set<String>) -> XMLElementNode? {
        for case .element(let e) in children where e.name == name && namespaces.contains(e.namespace) { return e }
        return nil
    }

    func all(_ name: String, in namespaces: Set<String>) -> [XMLElementNode] {
        var found: [XMLElementNode] = []
        for case .element(let e) in children where e.name == name && namespaces.contains(e.namespace) { found.append(e) }
        return found
    }

    /// An attribute without a namespace (or in `namespace`).
    func attribute(_ name: String, namespace: String = "") -> String? {
        attributes.first { $0.name == name && $0.namespace == namespace }?.value
    }

    /// All text inside, markup dropped.
    var text: String {
        var out = ""
        appendText(to: &out)
        return out
    }

    private func appendText(to out: inout String) {
        for child in children {
            switch child {
            case .text(let t): out += t
            case .element(let e): e.appendText(to: &out)
            }
        }
    }

    /// The content as HTML: its text when it holds only text (escaped HTML or
    /// CDATA, the usual case), its child elements serialized when a feed put
    /// raw markup inside (`<description><p>…</p></description>`).
    var markup: String {
        guard children.contains(where: { if case .element = $0 { true } else { false } }) else { return text }
        return innerXML
    }

    /// The children serialized as markup (namespace prefixes dropped: the consumer is an HTML parser).
    var innerXML: String {
        var out = ""
        for child in children { Self.serialize(child, to: &out) }
        return out
    }

    private static func serialize(_ child: Child, to out: inout String) {
        switch child {
        case .text(let t):
            out += escape(t, quotes: false)
        case .element(let e):
            out += "<" + e.name
            for a in e.attributes where a.namespace.isEmpty {
                out += " " + a.name + "=\"" + escape(a.value, quotes: true) + "\""
            }
            if e.children.isEmpty, voidElements.contains(e.name) {
                out += "/>"
                return
            }
            out += ">"
            for c in e.children { serialize(c, to: &out) }
            out += "</" + e.name + ">"
        }
    }

    /// HTML elements that have no end tag; any other empty element keeps one
    /// (`<div/>` would open a div in HTML).
    static let voidElements: Set<String> = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                                            "meta", "source", "track", "wbr"]

    static func escape(_ s: String, quotes: Bool) -> String {
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || (quotes && $0 == 0x22) }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quotes: out += "&quot;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}

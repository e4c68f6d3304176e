import CLibXML2
import Foundation
@testable import FeedNormalize

/// Reads an output field the way a reader's browser does: libxml2's HTML
/// parser (recovering, as browsers do), then a walk of every node. Each
/// problem is a sentence naming the field.
enum ReaderCheck {
    /// What the normalizer's allowlist keeps, with the attributes each may carry.
    static let fragmentAllowlist: [String: Set<String>] = {
        var allowed: [String: Set<String>] = [:]
        for rule in Allowlist.rules where rule.action == .keep {
            allowed[rule.name] = Set(rule.attributes.map(\.name))
        }
        allowed["a", default: []].insert("rel")
        // `images: {referrer_policy: no-referrer}` (the default) adds it at render time; its value is checked below.
        allowed["img", default: []].insert("referrerpolicy")
        // The parser's own wrappers around a fragment: allowed, but with no attribute
        // (a fragment's `<body onload>` lands on them).
        for wrapper in ["html", "head", "body"] { allowed[wrapper] = [] }
        return allowed
    }()

    /// The site pages' own markup (PageShell, IndexPage, CategoryPage, ItemPage).
    static let pageAllowlist: [String: Set<String>] = [
        "html": ["lang"], "head": [], "meta": ["charset", "name", "content"], "title": [],
        "link": ["rel", "type", "title", "href"], "body": [], "header": ["class"], "main": [], "footer": ["class"],
        "h1": [], "h2": [], "p": ["class"], "a": ["href", "class", "type", "rel"], "div": ["class"],
        "section": ["class", "data-slug"], "span": ["class"], "ol": ["class"], "li": ["class"], "time": ["datetime"],
        "nav": ["class"], "article": [],
    ]

    /// An article page: its own markup and, in its body, the normalizer's.
    static let articleAllowlist: [String: Set<String>] = pageAllowlist.merging(fragmentAllowlist) { $0.union($1) }

    /// The only `<meta content>` values a page may carry (`content` is otherwise a URL attribute).
    static let metaContents: Set<String> = ["width=device-width, initial-scale=1", "light dark"]

    /// The problems of `html` (a field's value after XML decoding) parsed as HTML.
    /// `relativeLinks`: a page's links to its own site may be relative (letters, digits, `._/-` only, not `//`).
    static func problems(html: String, field: String, allowlist: [String: Set<String>] = fragmentAllowlist,
                         relativeLinks: Bool = false) -> [String] {
        var problems: [String] = []
        withDocument(html) { doc in
            walk(xmlDocGetRootElement(doc), field: field, allowlist: allowlist, relativeLinks: relativeLinks, into: &problems)
        }
        return problems
    }

    /// The text a browser shows for `html`, all elements' text joined.
    static func shownText(html: String) -> String {
        var text = ""
        withDocument(html) { doc in
            guard let root = xmlDocGetRootElement(doc), let content = xmlNodeGetContent(root) else { return }
            text = String(cString: content)
            feedd_xml_free(content)
        }
        return text
    }

    private static func withDocument(_ html: String, _ body: (xmlDocPtr) -> Void) {
        LibXML2.initialize()
        let bytes = Array(html.utf8)
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue)
        let doc = bytes.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { htmlReadMemory($0.baseAddress, Int32($0.count), nil, "UTF-8", options) }
        }
        guard let doc else { return }
        defer { xmlFreeDoc(doc) }
        body(doc)
    }

    private static func walk(_ first: xmlNodePtr?, field: String, allowlist: [String: Set<String>],
                             relativeLinks: Bool, into problems: inout [String]) {
        var node = first
        while let current = node {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                let name = String(cString: current.pointee.name).lowercased()
                if let attributes = allowlist[name] {
                    check(current, name, attributes, field: field, relativeLinks: relativeLinks, into: &problems)
                } else {
                    problems.append("\(field): element <\(name)> is not in the allowlist")
                }
                walk(current.pointee.children, field: field, allowlist: allowlist, relativeLinks: relativeLinks,
                     into: &problems)
            case XML_TEXT_NODE:
                break
            default:
                problems.append("\(field): a node of type \(current.pointee.type.rawValue) (comment, PI, CDATA)")
            }
            node = current.pointee.next
        }
    }

    private static func check(_ element: xmlNodePtr, _ name: String, _ allowed: Set<String>, field: String,
                              relativeLinks: Bool, into problems: inout [String]) {
        var attribute = element.pointee.properties
        while let current = attribute {
            let key = String(cString: current.pointee.name).lowercased()
            let value = current.pointee.children.map { String(cString: $0.pointee.content) } ?? ""
            if !allowed.contains(key) {
                problems.append("\(field): <\(name)> has \(key)=\"\(value)\", not allowlisted")
            }
            if key == "referrerpolicy" && value != "no-referrer" {
                problems.append("\(field): <\(name) referrerpolicy=\"\(value)\">: not the configured policy")
            }
            if name == "meta" && key == "content" {
                if !metaContents.contains(value) { problems.append("\(field): <meta content=\"\(value)\"> is not a page's own") }
            } else if relativeLinks && key == "href" && isSiteRelative(value) {
                // A link between the site's own pages.
            } else if let problem = urlProblem(value, attribute: key) {
                problems.append("\(field): <\(name) \(key)=\"\(value)\">: \(problem)")
            }
            attribute = current.pointee.next
        }
    }

    /// `all/`, `../style.css`, `xinhuacaijing/NW….html`: no scheme, no host, nothing but letters, digits and `._/-`.
    static func isSiteRelative(_ value: String) -> Bool {
        !value.isEmpty && !value.hasPrefix("//") && !value.hasPrefix("/")
            && value.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "._/-".unicodeScalars.contains($0) }
    }

    static let urlAttributes: Set<String> = [
        "href", "src", "xmlurl", "htmlurl", "action", "formaction", "data", "background", "poster", "lowsrc", "dynsrc",
        "srcset", "xlink:href", "cite", "longdesc", "usemap", "codebase", "manifest", "icon", "content",
    ]

    /// Why `value` is not a safe URL for `attribute`; nil when it is (or is no URL attribute).
    static func urlProblem(_ value: String, attribute: String) -> String? {
        // Only URL attributes load or navigate; anything else outside the allowlist is reported by the walk.
        guard urlAttributes.contains(attribute) else { return nil }
        let lower = value.lowercased().unicodeScalars.filter { $0.value > 0x20 }.map(String.init).joined()
        for scheme in ["javascript:", "vbscript:", "data:", "livescript:"] where lower.contains(scheme) {
            return "a script-capable URL"
        }
        guard ["href", "src", "xmlurl", "htmlurl"].contains(attribute) else { return "a URL attribute outside the allowlist" }
        let schemes = attribute == "href" ? ["http://", "https://", "mailto:"] : ["http://", "https://"]
        if !schemes.contains(where: { value.lowercased().utf8.starts(with: $0.utf8) }) { return "not an http(s) URL" }
        if value.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) { return "whitespace or controls" }
        return nil
    }
}

import CLibXML2
@testable import FeedSources
import Testing

/// `XMLTreeBuilder` reads libxml2's SAX events into the element tree feed
/// mapping uses. Whatever a document gets wrong, the tree must be the one
/// libxml2's own tree builder makes from the same bytes (xmlReadMemory in
/// recovery mode): the same elements, nesting, names and text.
@Suite("XML tree from SAX events")
struct XMLTreeBuilderTests {
    static let brokenDocuments = [
        // A start tag that never ends: libxml2 closes the element without an end event.
        "<rss><channel><item><title>A</title></item><item <pubDate>x</pubDate></item><item><title>C</title></item></channel></rss>",
        // Mismatched end tags, an unclosed element at the end.
        "<rss><channel><title>T</channel><item><title>B</item></rss>",
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>Caf\u{FFFE}</title></entry><entry><id>2</id></entry></feed>",
        // A prefix bound to nothing: the tree names the element and the attribute `x:y`.
        "<rss><channel><x:y x:a=\"1\" b=\"2\">t</x:y><item><title>D</title></item></channel></rss>",
        // Text left in open elements when the parse gives up.
        "<rss><channel><title>半截的标题",
        "<rss><channel><item><title>A</title><![CDATA[未闭合的 CDATA <b>x</b>",
        "<rss><channel><item><title>A &bogus; B</title></item><item><title>C</title></item></channel></rss>",
        "<rss><channel><item><title>A</title></item></channel></rss><extra>after the root</extra>",
        "<rss><channel><item><link>http://x.cn/?a=1&b=2</link><title>E</title></item></channel></rss>",
    ]

    @Test(arguments: brokenDocuments) func recoveredTreeIsLibxml2Tree(_ document: String) throws {
        let bytes = Array(document.utf8)
        let parsed = XMLTreeBuilder.parse(bytes, url: "http://x/", recover: true)
        let root = try #require(parsed.root)
        let options = XMLTreeBuilder.options | Int32(XML_PARSE_RECOVER.rawValue)
        let doc = try #require(bytes.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { xmlReadMemory($0.baseAddress, Int32($0.count), "http://x/", "UTF-8", options) }
        })
        defer { xmlFreeDoc(doc) }
        let expected = try #require(xmlDocGetRootElement(doc))
        #expect(Self.outline(root) == Self.outline(expected))
    }

    @Test func aStrictParseFailsAtTheFirstError() {
        let parsed = XMLTreeBuilder.parse(Array(Self.brokenDocuments[0].utf8), url: "http://x/", recover: false)
        #expect(parsed.problem?.message == "error parsing attribute name")
        #expect(parsed.problem?.line == 1)
    }

    /// SAX2 reports each `&` of an attribute value as the text `&#38;`; every other reference decoded.
    @Test func attributeValuesAreDecoded() throws {
        let document = "<feed><link href=\"a?x=1&amp;y=2&#38;z=&lt;&#x26;#38;&quot;\" e=\"\"/></feed>"
        let root = try #require(XMLTreeBuilder.parse(Array(document.utf8), url: "http://x/", recover: false).root)
        let link = try #require(root.first("link", in: [""]))
        #expect(link.attribute("href") == "a?x=1&y=2&z=<&#38;\"")
        #expect(link.attribute("e") == "")
    }

    /// A CDATA body of 200 KB arrives whole, in one text child.
    @Test func largeCDATAIsOneText() throws {
        let body = String(repeating: "<p>中文正文，一段一段。</p>", count: 8_000)
        let document = "<rss><channel><item><description><![CDATA[" + body + "]]></description></item></channel></rss>"
        let root = try #require(XMLTreeBuilder.parse(Array(document.utf8), url: "http://x/", recover: false).root)
        let description = try #require(root.first("channel", in: [""])?.first("item", in: [""])?.first("description", in: [""]))
        #expect(description.text == body)
        #expect(description.children.count == 1)
    }

    /// libxml2's push parser refuses to look more than 10 MB ahead in one
    /// chunk; a feed as large as `max_body` allows (15 MB) is fed in pieces.
    @Test func aFeedOverTenMegabytesParsesStrictly() throws {
        let item = "<item><title>标题</title><description><![CDATA[<p>" + String(repeating: "中文正文，一段一段。", count: 200)
            + "</p>]]></description></item>"
        let document = "<rss><channel>" + String(repeating: item, count: 2_000) + "</channel></rss>"
        #expect(document.utf8.count > 12_000_000)
        let parsed = XMLTreeBuilder.parse(Array(document.utf8), url: "http://x/", recover: false)
        #expect(parsed.problem == nil)
        #expect(parsed.root?.first("channel", in: [""])?.all("item", in: [""]).count == 2_000)
    }

    /// `name[attr=value](children)` with text in quotes, for comparing trees.
    static func outline(_ node: XMLElementNode) -> String {
        let attributes = node.attributes.map { "\($0.name)=\($0.value)" }.sorted().joined(separator: ",")
        var out = node.name + "[" + attributes + "]("
        for child in node.children {
            switch child {
            case .element(let e): out += outline(e)
            case .text(let t): out += "\"" + t + "\""
            }
        }
        return out + ")"
    }

    static func outline(_ node: xmlNodePtr) -> String {
        var names: [String] = []
        var attribute = node.pointee.properties
        while let a = attribute {
            var name = String(cString: a.pointee.name)
            if let ns = a.pointee.ns, let prefix = ns.pointee.prefix, ns.pointee.href == nil { name = String(cString: prefix) + ":" + name }
            let value = a.pointee.children?.pointee.content.map { String(cString: $0) } ?? ""
            names.append("\(name)=\(value)")
            attribute = a.pointee.next
        }
        var out = String(cString: node.pointee.name) + "[" + names.sorted().joined(separator: ",") + "]("
        var text = ""
        var child = node.pointee.children
        while let c = child {
            switch c.pointee.type {
            case XML_ELEMENT_NODE:
                if !text.isEmpty { out += "\"" + text + "\""; text = "" }
                out += outline(c)
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                text += c.pointee.content.map { String(cString: $0) } ?? ""
            default:
                break
            }
            child = c.pointee.next
        }
        if !text.isEmpty { out += "\"" + text + "\"" }
        return out + ")"
    }
}

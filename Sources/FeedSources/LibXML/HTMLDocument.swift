import CLibXML2
import Foundation

/// Owns one HTML document parsed by libxml2's forgiving HTML parser, and the
/// XPath 1.0 context used to query it. Nodes handed out are valid only while
/// the document lives; nothing here escapes the synchronous call that made it.
final class HTMLDocument {
    private let doc: htmlDocPtr
    private let xpath: xmlXPathContextPtr
    /// The page's URL: relative links are resolved against it (or its `<base href>`).
    let url: String

    /// A node of this document.
    struct Node {
        let raw: xmlNodePtr
    }

    /// What an XPath expression gave.
    enum Value {
        case nodes([Node])
        case text(String)
    }

    struct InvalidXPath: Error {
        var expression: String
    }

    static let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
        | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_IGNORE_ENC.rawValue)

    /// Parses `html` (already decoded to UTF-8 from the page's charset, so a
    /// `<meta charset="gbk">` in it is ignored).
    init?(html: String, url: String) {
        xmlInitParser()
        var text = html
        let parsed: htmlDocPtr? = text.withUTF8 { buf in
            buf.withMemoryRebound(to: CChar.self) {
                htmlReadMemory($0.baseAddress, Int32($0.count), url, "UTF-8", Self.options)
            }
        }
        guard let parsed, let context = xmlXPathNewContext(parsed) else {
            if let parsed { xmlFreeDoc(parsed) }
            return nil
        }
        // XPath syntax errors are reported through InvalidXPath, not printed.
        context.pointee.error = { _, _ in }
        doc = parsed
        xpath = context
        self.url = url
    }

    deinit {
        xmlXPathFreeContext(xpath)
        xmlFreeDoc(doc)
    }

    /// Evaluates `expression` at `node` (the document when nil).
    func evaluate(_ expression: String, at node: Node? = nil) throws(InvalidXPath) -> Value {
        // libxml2 treats a document as a node (its first fields are a node's).
        xpath.pointee.node = node?.raw ?? UnsafeMutableRawPointer(doc).assumingMemoryBound(to: xmlNode.self)
        guard let result = xmlXPathEvalExpression(expression, xpath) else { throw InvalidXPath(expression: expression) }
        defer { xmlXPathFreeObject(result) }
        if result.pointee.type == XPATH_NODESET {
            guard let set = result.pointee.nodesetval, set.pointee.nodeNr > 0 else { return .nodes([]) }
            return .nodes((0..<Int(set.pointee.nodeNr)).compactMap { set.pointee.nodeTab[$0].map(Node.init) })
        }
        guard let s = xmlXPathCastToString(result) else { return .text("") }
        defer { feedd_xml_free(s) }
        return .text(String(cString: s))
    }

    /// The string value of what `expression` gives at `node`: a node set's
    /// first node's text (an attribute's value), or the string result.
    func string(_ expression: String, at node: Node) throws(InvalidXPath) -> String? {
        switch try evaluate(expression, at: node) {
        case .nodes(let nodes): nodes.first.map(text(of:))
        case .text(let s): s
        }
    }

    /// All text inside `node` (an attribute's value for an attribute node).
    func text(of node: Node) -> String {
        guard let content = xmlNodeGetContent(node.raw) else { return "" }
        defer { feedd_xml_free(content) }
        return String(cString: content)
    }

    func isElement(_ node: Node) -> Bool { node.raw.pointee.type == XML_ELEMENT_NODE }

    /// The node serialized as HTML, itself included.
    func outerHTML(_ node: Node) -> String {
        guard let out = xmlAllocOutputBuffer(nil) else { return "" }
        defer { _ = xmlOutputBufferClose(out) }
        htmlNodeDumpFormatOutput(out, doc, node.raw, "UTF-8", 0)
        guard let content = xmlOutputBufferGetContent(out) else { return "" }
        return String(cString: content)
    }

    /// The node's children serialized as HTML.
    func innerHTML(_ node: Node) -> String {
        var html = ""
        var child = node.raw.pointee.children
        while let c = child {
            html += outerHTML(Node(raw: c))
            child = c.pointee.next
        }
        return html
    }

    /// The URL a relative reference on this page points to, honouring `<base href>`.
    func resolve(_ reference: String) -> String {
        ReferenceResolver.resolve(reference, against: baseURL)
    }

    private lazy var baseURL: String = {
        if case .text(let base)? = try? evaluate("string(//head/base/@href)"), !base.isEmpty {
            return ReferenceResolver.resolve(base, against: url)
        }
        return url
    }()
}

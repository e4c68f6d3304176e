import CLibXML2

/// XPath on normalized article bodies, for the rules' `remove`: checked when
/// the config loads, applied when feeds are rendered. The edited fragment is
/// serialized by libxml2; callers run it through the normalizer again so what
/// is rendered is still the normalizer's HTML.
public enum HTMLFragmentEdit {
    /// Whether `expression` compiles as XPath 1.0 (nothing is evaluated).
    public static func isValidXPath(_ expression: String) -> Bool {
        xmlInitParser()
        guard let context = xmlXPathNewContext(nil) else { return false }
        defer { xmlXPathFreeContext(context) }
        context.pointee.error = { _, _ in } // reported by the caller, not printed
        guard let compiled = xmlXPathCtxtCompile(context, expression) else { return false }
        xmlXPathFreeCompExpr(compiled)
        return true
    }

    public struct InvalidXPath: Error, Sendable, CustomStringConvertible {
        public var expression: String
        public var description: String { "'\(expression)' is not a valid XPath 1.0 expression" }
    }

    /// `html` without the nodes `xpath` selects (elements with their content,
    /// text, comments; a selected attribute is removed from its element).
    /// The expression is evaluated on the fragment parsed as a page, so
    /// `//p` and `/html/body/p` both reach its paragraphs. Returns nil when
    /// nothing was selected (the body stays as it was).
    public static func removing(xpath: String, from html: String) throws(InvalidXPath) -> String? {
        guard let page = HTMLDocument(html: html, url: "about:blank") else { return nil }
        let selected: [HTMLDocument.Node]
        do {
            guard case .nodes(let nodes) = try page.evaluate(xpath) else { return nil }
            selected = nodes
        } catch {
            throw InvalidXPath(expression: xpath)
        }
        guard !selected.isEmpty else { return nil }
        // Unlink everything first, free afterwards: a selected node may sit
        // inside another selected node, and freeing the outer one first would
        // free the inner one under us.
        var unlinked: [xmlNodePtr] = []
        var attributes: [xmlNodePtr] = []
        for node in selected {
            switch node.raw.pointee.type {
            case XML_ATTRIBUTE_NODE: attributes.append(node.raw)
            case XML_ELEMENT_NODE, XML_TEXT_NODE, XML_CDATA_SECTION_NODE, XML_COMMENT_NODE:
                xmlUnlinkNode(node.raw)
                unlinked.append(node.raw)
            default: continue // the document itself, namespaces: nothing to remove
            }
        }
        for a in attributes {
            _ = xmlRemoveProp(UnsafeMutableRawPointer(a).assumingMemoryBound(to: xmlAttr.self))
        }
        for n in unlinked { xmlFreeNode(n) }
        // The parser always makes html > body; only a removed body leaves nothing.
        guard case .nodes(let bodies) = try page.bodyNodes(), let body = bodies.first else { return "" }
        return page.innerHTML(body)
    }
}

private extension HTMLDocument {
    func bodyNodes() throws(HTMLFragmentEdit.InvalidXPath) -> Value {
        do { return try evaluate("/html/body") } catch { throw HTMLFragmentEdit.InvalidXPath(expression: error.expression) }
    }
}

import CLibXML2
import Foundation

/// Checks written feeds with the real libxml2: well-formedness, the Atom
/// RELAX NG schema (RFC 4287), and XPath queries for assertions.
public enum XMLCheck {

    /// Parses strictly (no recovery, no network, no entity expansion); nil plus errors when not well-formed.
    public static func parse(_ bytes: [UInt8]) -> Result<XMLDocumentBox, XMLProblem> {
        xmlInitParser()
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let doc = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                xmlReadMemory($0, Int32(buf.count), "feed.xml", nil, options)
            }
        }
        guard let doc else {
            let message = xmlGetLastError().map { String(cString: $0.pointee.message).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "?"
            return .failure(XMLProblem(message: message))
        }
        return .success(XMLDocumentBox(doc))
    }

    /// Errors from validating `bytes` against the Atom schema kept in the fixtures; empty when valid.
    public static func atomSchemaErrors(_ bytes: [UInt8]) -> [String] {
        guard case .success(let box) = parse(bytes) else { return ["not well-formed"] }
        let schemaPath = Fixtures.url("atom.rng").path
        guard let parserCtxt = xmlRelaxNGNewParserCtxt(schemaPath), let schema = xmlRelaxNGParse(parserCtxt) else {
            return ["cannot load schema"]
        }
        defer { xmlRelaxNGFree(schema); xmlRelaxNGFreeParserCtxt(parserCtxt) }
        let validator = xmlRelaxNGNewValidCtxt(schema)
        defer { xmlRelaxNGFreeValidCtxt(validator) }
        let collector = ErrorCollector()
        let context = Unmanaged.passUnretained(collector).toOpaque()
        xmlRelaxNGSetValidStructuredErrors(validator, { ctx, error in
            guard let ctx, let error else { return }
            let c = Unmanaged<ErrorCollector>.fromOpaque(ctx).takeUnretainedValue()
            c.messages.append("line \(error.pointee.line): " + String(cString: error.pointee.message).trimmingCharacters(in: .whitespacesAndNewlines))
        }, context)
        let rc = withExtendedLifetime(collector) { xmlRelaxNGValidateDoc(validator, box.doc) }
        if rc != 0 && collector.messages.isEmpty { return ["invalid (code \(rc))"] }
        return rc == 0 ? [] : collector.messages
    }
}

final class ErrorCollector { var messages: [String] = [] }

public struct XMLProblem: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A parsed XML document, with XPath helpers (namespaces: atom, content, dc, opml none).
public final class XMLDocumentBox {
    let doc: xmlDocPtr
    init(_ doc: xmlDocPtr) { self.doc = doc }
    deinit { xmlFreeDoc(doc) }

    /// The string values of every node `xpath` matches.
    public func strings(_ xpath: String) -> [String] {
        guard let ctx = xmlXPathNewContext(doc) else { return [] }
        defer { xmlXPathFreeContext(ctx) }
        for (prefix, uri) in [("atom", "http://www.w3.org/2005/Atom"), ("content", "http://purl.org/rss/1.0/modules/content/"),
                              ("dc", "http://purl.org/dc/elements/1.1/")] {
            xmlXPathRegisterNs(ctx, prefix, uri)
        }
        guard let result = xmlXPathEvalExpression(xpath, ctx) else { return [] }
        defer { xmlXPathFreeObject(result) }
        guard let set = result.pointee.nodesetval, set.pointee.nodeNr > 0 else { return [] }
        return (0..<Int(set.pointee.nodeNr)).map { i in
            let node = set.pointee.nodeTab[i]
            guard let content = xmlNodeGetContent(node) else { return "" }
            defer { feedd_xml_free(content) }
            return String(cString: content)
        }
    }

    public func count(_ xpath: String) -> Int { strings(xpath).count }
}

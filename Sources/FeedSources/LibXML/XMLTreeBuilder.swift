import CLibXML2
import Foundation

/// Reads a whole XML document with libxml2's SAX2 parser straight into
/// `XMLElementNode`s: libxml2 tokenizes and checks well-formedness, this
/// keeps only what feed mapping reads. (libxml2's own tree, or its
/// xmlTextReader, cost twice as much for the same feed.)
///
/// The options never include `XML_PARSE_NOENT`, `XML_PARSE_DTDLOAD` or
/// `XML_PARSE_HUGE`, and no entity callback is installed: nothing is
/// expanded beyond the five XML entities and character references, no DTD
/// or external entity is fetched or even recorded, and libxml2's own size
/// limits stay on.
final class XMLTreeBuilder {
    /// Deeper than any real feed (XHTML content included) and well under
    /// libxml2's own 256: a deeply nested document stops here, early.
    static let maxDepth = 128

    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    static let options: Int32 = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
        | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_IGNORE_ENC.rawValue)

    /// The first error libxml2 reported, with its line.
    struct Problem: Sendable {
        var line: Int
        var message: String
        /// libxml2's `xmlParserErrors` code.
        var code: Int32 = 0

        /// Bytes that are not UTF-8, or a character XML does not allow
        /// (libxml2 reports both as `XML_ERR_INVALID_CHAR`).
        var isInvalidCharacter: Bool { code == Int32(XML_ERR_INVALID_CHAR.rawValue) }
    }

    /// What one parse produced.
    struct Result {
        var root: XMLElementNode?
        /// The first error (level error or fatal), recovered from or not.
        var problem: Problem?
        /// The document nested deeper than `maxDepth`; the parse stopped there.
        var tooDeep: Bool
    }

    /// Parses `bytes` (UTF-8, whatever the XML declaration says); `url` is
    /// the document's base URI. Strict mode stops at the first
    /// well-formedness error; `recover` goes on as libxml2's recovery mode
    /// can.
    static func parse(_ bytes: [UInt8], url: String, recover: Bool) -> Result {
        xmlInitParser()
        let builder = XMLTreeBuilder(url: url)
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = { context, localName, _, uri, _, _, attributeCount, _, attributes in
            guard let context, let localName else { return }
            Unmanaged<XMLTreeBuilder>.fromOpaque(context).takeUnretainedValue()
                .startElement(localName, uri: uri, attributes: attributes, count: Int(attributeCount))
        }
        handler.endElementNs = { context, _, _, _ in
            guard let context else { return }
            Unmanaged<XMLTreeBuilder>.fromOpaque(context).takeUnretainedValue().endElement()
        }
        let characters: charactersSAXFunc = { context, bytes, count in
            guard let context, let bytes, count > 0 else { return }
            Unmanaged<XMLTreeBuilder>.fromOpaque(context).takeUnretainedValue().text
                .append(contentsOf: UnsafeBufferPointer(start: bytes, count: Int(count)))
        }
        handler.characters = characters
        handler.ignorableWhitespace = characters
        handler.cdataBlock = characters
        handler.serror = { context, error in
            guard let context, let error else { return }
            Unmanaged<XMLTreeBuilder>.fromOpaque(context).takeUnretainedValue().record(error.pointee)
        }
        let user = Unmanaged.passUnretained(builder).toOpaque()
        let options = Self.options | (recover ? Int32(XML_PARSE_RECOVER.rawValue) : 0)
        let started = bytes.withUnsafeBufferPointer { b -> Bool in
            // libxml2 copies the bytes into its own input buffer.
            guard let base = b.baseAddress, b.count > 0, b.count < Int(Int32.max) else { return false }
            let context = base.withMemoryRebound(to: CChar.self, capacity: b.count) {
                feedd_xml_sax_context($0, Int32(b.count), url, &handler, user, options)
            }
            guard let context else { return false }
            builder.context = context
            xmlParseDocument(context)
            builder.context = nil
            if let doc = context.pointee.myDoc { xmlFreeDoc(doc) }
            xmlFreeParserCtxt(context)
            return true
        }
        if !started, builder.problem == nil {
            builder.problem = Problem(line: 0, message: "Document is empty", code: Int32(XML_ERR_DOCUMENT_EMPTY.rawValue))
        }
        return Result(root: builder.root, problem: builder.problem, tooDeep: builder.tooDeep)
    }

    private let url: String
    private var context: xmlParserCtxtPtr?
    private var stack: [XMLElementNode] = []
    private var root: XMLElementNode?
    /// The current text run, in the pieces libxml2 hands over.
    private var text: [UInt8] = []
    private var problem: Problem?
    private var tooDeep = false
    /// Names and namespace URIs repeat on every element: each distinct one
    /// becomes a Swift string once (keyed by libxml2's pointer, checked by
    /// content, so a reused address can never give a wrong name).
    private var names: [UnsafeRawPointer: String] = [:]

    private init(url: String) {
        self.url = url
        stack.reserveCapacity(16)
        text.reserveCapacity(4096)
    }

    private func startElement(_ localName: UnsafePointer<xmlChar>, uri: UnsafePointer<xmlChar>?,
                              attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, count: Int) {
        flushText()
        guard stack.count < Self.maxDepth else {
            tooDeep = true
            if let context { xmlStopParser(context) }
            return
        }
        var list: [XMLAttribute] = []
        if let attributes, count > 0 {
            list.reserveCapacity(count)
            // Five pointers per attribute: local name, prefix, URI, value start, value end.
            for k in 0..<count {
                guard let name = attributes[5 * k] else { continue }
                list.append(XMLAttribute(name: string(name), namespace: attributes[5 * k + 2].map(string) ?? "",
                                         value: Self.value(from: attributes[5 * k + 3], to: attributes[5 * k + 4])))
            }
        }
        let parentBase = stack.last?.base ?? url
        let base = list.first { $0.name == "base" && $0.namespace == Self.xmlNamespace }
            .map { URLResolver.resolve($0.value, against: parentBase) } ?? parentBase
        let element = XMLElementNode(name: string(localName), namespace: uri.map(string) ?? "", attributes: list, base: base)
        if let parent = stack.last { parent.append(.element(element)) } else if root == nil { root = element }
        stack.append(element)
    }

    private func endElement() {
        flushText()
        _ = stack.popLast()
    }

    private func flushText() {
        guard !text.isEmpty else { return }
        // Text outside the root element is not part of the feed.
        stack.last?.append(.text(String(decoding: text, as: UTF8.self)))
        text.removeAll(keepingCapacity: true)
    }

    private func record(_ error: xmlError) {
        // Warnings (level 1) do not stop the parse; keep the first real error.
        guard problem == nil, error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let message = error.message.map { String(cString: $0) } ?? "error \(error.code)"
        problem = Problem(line: Int(error.line), message: message.trimmed, code: error.code)
    }

    private func string(_ p: UnsafePointer<xmlChar>) -> String {
        let key = UnsafeRawPointer(p)
        if let known = names[key], known.utf8.elementsEqual(UnsafeBufferPointer(start: p, count: strlen(p))) {
            return known
        }
        let s = String(cString: p)
        names[key] = s
        return s
    }

    /// An attribute value as SAX2 reports it. Without entity substitution
    /// libxml2 writes each `&` of the value (from `&amp;` or `&#38;`) as the
    /// text `&#38;`, for a tree builder to turn back: so does this. Every
    /// other reference arrives decoded.
    static func value(from start: UnsafePointer<xmlChar>?, to end: UnsafePointer<xmlChar>?) -> String {
        guard let start, let end, end > start else { return "" }
        let bytes = UnsafeBufferPointer(start: start, count: end - start)
        guard bytes.contains(0x26) else { return String(decoding: bytes, as: UTF8.self) } // '&'
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x26, i + 5 <= bytes.count, bytes[i + 1] == 0x23, bytes[i + 2] == 0x33, bytes[i + 3] == 0x38,
               bytes[i + 4] == 0x3B { // "&#38;"
                out.append(0x26)
                i += 5
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// One attribute as the parser reports it.
struct XMLAttribute: Sendable {
    var name: String
    var namespace: String
    var value: String
}

import CLibXML2
import Foundation

/// Owns one libxml2 `xmlTextReader` over a private copy of the document's
/// bytes: a pull parser that never builds the whole tree, so a document's
/// depth can be checked node by node while it is read. (In recovery mode it
/// owns the recovered tree instead, and walks it.)
///
/// The options never include `XML_PARSE_NOENT`, `XML_PARSE_DTDLOAD` or
/// `XML_PARSE_HUGE`: no entity is expanded beyond the five XML ones and
/// character references, no DTD or external entity is fetched, and libxml2's
/// own size limits stay on.
final class XMLStreamReader {
    enum NodeType: Int32 {
        case element = 1, attribute = 2, text = 3, cdata = 4, entityReference = 5, entity = 6
        case processingInstruction = 7, comment = 8, document = 9, documentType = 10, documentFragment = 11
        case notation = 12, whitespace = 13, significantWhitespace = 14, endElement = 15, endEntity = 16
        case xmlDeclaration = 17
    }

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

    private let reader: OpaquePointer
    /// Strict mode: the bytes the reader parses as it goes. Recovery mode: nil.
    private let buffer: UnsafeMutableBufferPointer<CChar>?
    /// Recovery mode: the tree libxml2 recovered, which the reader walks.
    private let recovered: xmlDocPtr?
    private let errors = ErrorSink()

    static let safeOptions: Int32 = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
        | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_IGNORE_ENC.rawValue)

    /// Reads `bytes` (UTF-8, whatever the XML declaration says).
    ///
    /// Strict mode streams: any well-formedness error ends the read.
    /// `recover` parses with `XML_PARSE_RECOVER` first (libxml2's reader does
    /// not recover while streaming) and walks the tree it could make.
    init?(utf8 bytes: [UInt8], url: String, recover: Bool) {
        xmlInitParser()
        if recover {
            let doc = bytes.withUnsafeBufferPointer { b in
                b.withMemoryRebound(to: CChar.self) {
                    xmlReadMemory($0.baseAddress, Int32($0.count), url, "UTF-8", Self.safeOptions | Int32(XML_PARSE_RECOVER.rawValue))
                }
            }
            guard let doc, let walker = xmlReaderWalker(doc) else {
                if let doc { xmlFreeDoc(doc) }
                return nil
            }
            reader = walker
            recovered = doc
            buffer = nil
            return
        }
        // xmlReaderForMemory does not copy: the reader gets a copy it owns for its lifetime.
        let copy = UnsafeMutableBufferPointer<CChar>.allocate(capacity: max(1, bytes.count))
        _ = bytes.withUnsafeBufferPointer { src in
            src.withMemoryRebound(to: CChar.self) { copy.initialize(from: $0) }
        }
        guard let r = xmlReaderForMemory(copy.baseAddress, Int32(bytes.count), url, "UTF-8", Self.safeOptions) else {
            copy.deallocate()
            return nil
        }
        buffer = copy
        recovered = nil
        reader = r
        let sink = Unmanaged.passUnretained(errors).toOpaque()
        xmlTextReaderSetStructuredErrorHandler(reader, { context, error in
            guard let context, let error else { return }
            Unmanaged<ErrorSink>.fromOpaque(context).takeUnretainedValue().record(error.pointee)
        }, sink)
    }

    deinit {
        xmlFreeTextReader(reader)
        if let recovered { xmlFreeDoc(recovered) }
        buffer?.deallocate()
    }

    /// Moves to the next node: true on a node, false at the end; nil on an error.
    func read() -> Bool? {
        switch xmlTextReaderRead(reader) {
        case 1: true
        case 0: false
        default: nil
        }
    }

    var nodeType: NodeType? { NodeType(rawValue: xmlTextReaderNodeType(reader)) }
    var depth: Int { Int(xmlTextReaderDepth(reader)) }
    var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }
    var localName: String { name(xmlTextReaderConstLocalName(reader)) }
    var namespaceURI: String { name(xmlTextReaderConstNamespaceUri(reader)) }
    var value: String { Self.string(xmlTextReaderConstValue(reader)) }

    /// The current element's attributes (namespace declarations left out).
    func attributes() -> [XMLAttribute] {
        var out: [XMLAttribute] = []
        while xmlTextReaderMoveToNextAttribute(reader) == 1 {
            let ns = namespaceURI
            if ns == "http://www.w3.org/2000/xmlns/" { continue }
            out.append(XMLAttribute(name: localName, namespace: ns, value: value))
        }
        _ = xmlTextReaderMoveToElement(reader)
        return out
    }

    /// The first fatal error, if libxml2 reported one.
    var problem: Problem? { errors.first }

    /// Names and namespace URIs repeat on every element: each distinct one
    /// becomes a Swift string once. The key is the reader's interned copy
    /// (`xmlTextReaderConstString`), which lives as long as the reader.
    private var names: [UnsafeRawPointer: String] = [:]

    private func name(_ p: UnsafePointer<xmlChar>?) -> String {
        guard let p, let interned = xmlTextReaderConstString(reader, p) else { return "" }
        let key = UnsafeRawPointer(interned)
        if let known = names[key] { return known }
        let s = String(cString: interned)
        names[key] = s
        return s
    }

    private static func string(_ p: UnsafePointer<xmlChar>?) -> String {
        guard let p else { return "" }
        return String(cString: p)
    }
}

/// One attribute as the reader reports it.
struct XMLAttribute: Sendable {
    var name: String
    var namespace: String
    var value: String
}

/// Collects libxml2's structured errors instead of letting it print them.
private final class ErrorSink {
    private(set) var first: XMLStreamReader.Problem?

    func record(_ error: xmlError) {
        // Warnings (level 1) do not stop the parse; keep the first real error.
        guard first == nil, error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let message = error.message.map { String(cString: $0) } ?? "error \(error.code)"
        first = .init(line: Int(error.line), message: message.trimmed, code: error.code)
    }
}

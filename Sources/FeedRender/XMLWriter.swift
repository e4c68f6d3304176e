import CLibXML2

/// libxml2's text writer, owned: elements are closed in order, text and
/// attribute values escaped by libxml2, so the output is well-formed by construction.
final class XMLWriter {
    private let buffer: xmlBufferPtr
    private let writer: xmlTextWriterPtr

    init() {
        buffer = xmlBufferCreate()
        writer = xmlNewTextWriterMemory(buffer, 0)
        xmlTextWriterSetIndent(writer, 1)
        xmlTextWriterSetIndentString(writer, "  ")
        xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil)
    }

    deinit {
        xmlFreeTextWriter(writer)
        xmlBufferFree(buffer)
    }

    func start(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:]) {
        xmlTextWriterStartElement(writer, name)
        for case let (key, value?) in attributes { xmlTextWriterWriteAttribute(writer, key, XMLText.clean(value)) }
    }

    func end() { xmlTextWriterEndElement(writer) }

    /// `<name attrs>text</name>`; skipped when `text` is nil.
    func element(_ name: String, _ text: String?, _ attributes: KeyValuePairs<String, String?> = [:]) {
        guard let text else { return }
        start(name, attributes)
        xmlTextWriterWriteString(writer, XMLText.clean(text))
        xmlTextWriterEndElement(writer)
    }

    /// `<name attrs/>`.
    func empty(_ name: String, _ attributes: KeyValuePairs<String, String?>) {
        start(name, attributes)
        xmlTextWriterEndElement(writer)
    }

    /// Ends the document and returns its bytes.
    func finish() -> [UInt8] {
        xmlTextWriterEndDocument(writer)
        xmlTextWriterFlush(writer)
        let count = Int(xmlBufferLength(buffer))
        guard count > 0, let content = xmlBufferContent(buffer) else { return [] }
        return Array(UnsafeBufferPointer(start: content, count: count))
    }
}

/// What XML 1.0 allows in text (§2.2): tab, LF, CR, U+0020–U+D7FF,
/// U+E000–U+FFFD, U+10000–U+10FFFF. Everything else is dropped, so an
/// upstream control character can never make a feed unparseable.
enum XMLText {
    static func clean(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { !allowed($0) }) else { return s }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: s.unicodeScalars.filter(allowed))
        return String(out)
    }

    static func allowed(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}

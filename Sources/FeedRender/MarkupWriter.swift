import FeedModel
import Foundation

/// Writes XML (and the index page's XHTML-compatible HTML) straight into a
/// byte buffer, indented by two spaces. Elements are closed in order, and
/// every value goes through `Encoding` by its content model: a plain-text
/// element takes `PlainText`, an HTML-bearing one `HTMLFragment`, so the
/// type says which encoding a field gets and no caller escapes by hand.
struct MarkupWriter {
    private(set) var bytes: [UInt8] = []
    private var open: [String] = []
    /// Whether the innermost open element has child elements (its end tag then goes on a line of its own).
    private var hasChildren = false

    /// `<?xml version="1.0" encoding="UTF-8"?>` first unless `declaration` is false.
    init(declaration: Bool = true, capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
        if declaration { raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>") }
    }

    /// Bytes written as they are: markup the caller spells out (a doctype, a fixed tag).
    mutating func raw(_ s: StaticString) { s.withUTF8Buffer { bytes.append(contentsOf: $0) } }

    private mutating func newline() {
        if !bytes.isEmpty { bytes.append(0x0A) }
        for _ in 0..<open.count { bytes.append(0x20); bytes.append(0x20) }
    }

    private mutating func tag(_ name: String, _ attributes: KeyValuePairs<String, String?>) {
        hasChildren = true
        newline()
        bytes.append(0x3C)
        bytes.append(contentsOf: name.utf8)
        for case let (key, value?) in attributes {
            bytes.append(0x20)
            bytes.append(contentsOf: key.utf8)
            bytes.append(0x3D)
            bytes.append(0x22)
            Encoding.attribute.append(value, to: &bytes)
            bytes.append(0x22)
        }
    }

    /// `<name attributes>`; children follow until `end()`.
    mutating func start(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:]) {
        tag(name, attributes)
        bytes.append(0x3E)
        open.append(name)
        hasChildren = false
    }

    /// Closes the innermost open element.
    mutating func end() {
        guard let name = open.popLast() else { return }
        if hasChildren { newline() }
        bytes.append(0x3C)
        bytes.append(0x2F)
        bytes.append(contentsOf: name.utf8)
        bytes.append(0x3E)
        hasChildren = true
    }

    /// `<name attributes/>`.
    mutating func empty(_ name: String, _ attributes: KeyValuePairs<String, String?>) {
        tag(name, attributes)
        bytes.append(0x2F)
        bytes.append(0x3E)
    }

    private mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String?>,
                                  _ encoding: Encoding, _ text: String) {
        tag(name, attributes)
        bytes.append(0x3E)
        encoding.append(text, to: &bytes)
        bytes.append(0x3C)
        bytes.append(0x2F)
        bytes.append(contentsOf: name.utf8)
        bytes.append(0x3E)
    }

    /// A plain-text element (RSS Profile encoding); skipped when `text` is nil.
    mutating func text(_ name: String, _ text: PlainText?, _ attributes: KeyValuePairs<String, String?> = [:]) {
        guard let text else { return }
        element(name, attributes, .plainText, text.string)
    }

    /// An Atom text construct (RFC 4287 §3.1) holding plain text: `type="text"`;
    /// but when the text holds what looks like an end tag (`</b>`), which the
    /// W3C validator (and many readers) take for markup in a text construct,
    /// `type="html"` with the text HTML-escaped: the reader shows the same characters.
    mutating func atomText(_ name: String, _ text: PlainText?) {
        guard let text else { return }
        if Self.looksLikeMarkup(text.string) {
            html(name, HTMLFragment(escaping: text), ["type": "html"])
        } else {
            self.text(name, text, ["type": "text"])
        }
    }

    /// `</` followed by a letter: the start of an end tag.
    static func looksLikeMarkup(_ s: String) -> Bool {
        var previous: (UInt8, UInt8) = (0, 0)
        for b in s.utf8 {
            if previous == (0x3C, 0x2F), (b | 0x20) >= 0x61, (b | 0x20) <= 0x7A { return true }
            previous = (previous.1, b)
        }
        return false
    }

    /// An HTML-bearing element: the fragment's markup, entity-encoded for XML.
    mutating func html(_ name: String, _ html: HTMLFragment, _ attributes: KeyValuePairs<String, String?> = [:]) {
        element(name, attributes, .markup, html.html)
    }

    /// An element holding a URL, id, date, number or language tag.
    mutating func value(_ name: String, _ value: String?, _ attributes: KeyValuePairs<String, String?> = [:]) {
        guard let value else { return }
        element(name, attributes, .markup, value)
    }

    /// A date element, formatted straight into the buffer (`FeedDates`).
    mutating func date(_ name: String, _ date: Date, in zone: TimeZone, rfc822: Bool, millisecond: Int? = nil) {
        tag(name, [:])
        bytes.append(0x3E)
        if rfc822 {
            FeedDates.appendRFC822(date, in: zone, to: &bytes)
        } else {
            FeedDates.appendRFC3339(date, in: zone, millisecond: millisecond, to: &bytes)
        }
        bytes.append(0x3C)
        bytes.append(0x2F)
        bytes.append(contentsOf: name.utf8)
        bytes.append(0x3E)
    }

    /// HTML's text content (the index page): the plain-text encoding, which HTML reads the same way.
    mutating func pageText(_ text: PlainText) { Encoding.plainText.append(text.string, to: &bytes) }

    /// A page's body: the normalizer's markup as it is (well-formed, allowlisted, XML-safe),
    /// so it reads the same as HTML and as XML. Only an `HTMLFragment` can get here.
    mutating func fragment(_ html: HTMLFragment) {
        hasChildren = true
        newline()
        bytes.append(contentsOf: html.html.utf8)
    }

    /// Ends the document (closing what is open) and returns its bytes, ending in a newline.
    mutating func finish() -> [UInt8] {
        while !open.isEmpty { end() }
        bytes.append(0x0A)
        return bytes
    }
}

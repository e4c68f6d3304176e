import FeedModel
import Foundation

/// JSON Feed 1.1 (https://jsonfeed.org/version/1.1): the same items, ids,
/// links and dates as the category's Atom feed. Plain-text fields (titles,
/// summary, author and tag names) are JSON strings of plain text;
/// `content_html` is only ever the normalizer's body. Members the format
/// has no place for are in a `_feedd` extension object: the RSS guid (the
/// info code) and category slugs on items, the RSS `<ttl>` on the feed.
/// Characters XML 1.0 forbids are dropped from every value as the XML
/// writers drop them (`Encoding.xmlCharacters`), so the three formats say the same.
public enum JSONFeedWriter {
    public static let version = "https://jsonfeed.org/version/1.1"

    public static func render(_ channel: FeedChannel, items: [Item]) -> [UInt8] {
        let zone = channel.site.timezone
        var feed: [(String, JSONValue)] = [
            ("version", .value(version)),
            ("title", .text(channel.title)),
            ("home_page_url", .value(channel.site.url)),
            ("feed_url", .value(channel.jsonFeedURL)),
            ("language", .value(channel.site.language)),
            ("authors", .array([.object([("name", .text(PlainText(channel.site.title)))])])),
        ]
        if let hub = channel.hub { feed.append(("hubs", .array([.object([("type", .value("WebSub")), ("url", .value(hub))])]))) }
        if let ttl = channel.ttlMinutes { feed.append(("_feedd", .object([("ttl", .number(ttl))]))) }
        // The same `updated` as the Atom feed's, tie-break milliseconds included.
        let milliseconds = AtomWriter.tieBreaks(items)
        feed.append(("items", .array(items.indices.map { item(channel, items[$0], zone, updatedMillisecond: milliseconds[$0]) })))
        var out = JSONOutput()
        out.write(.object(feed), indent: 0)
        out.bytes.append(0x0A)
        return out.bytes
    }

    static func item(_ channel: FeedChannel, _ item: Item, _ zone: TimeZone, updatedMillisecond: Int? = nil) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", .value(FeedChannel.atomID(of: item.infoCode))),
            ("url", .value(channel.link(of: item))),
            ("title", .text(item.titleText)),
        ]
        // JSON Feed needs content_html or content_text: a body is HTML, a bare summary is text.
        if item.body.isEmpty {
            fields.append(("content_text", .text(item.summaryText)))
        } else {
            fields.append(("content_html", .html(item.bodyHTML)))
        }
        if !item.summary.isEmpty { fields.append(("summary", .text(item.summaryText))) }
        fields.append(("date_published", .value(FeedDates.rfc3339(item.published, in: zone))))
        fields.append(("date_modified", .value(FeedDates.rfc3339(item.updated, in: zone, millisecond: updatedMillisecond))))
        if let outlet = item.outlet { fields.append(("authors", .array([.object([("name", .text(PlainText(outlet)))])]))) }
        if !item.categories.isEmpty { fields.append(("tags", .array(item.categories.map { .text($0.nameText) }))) }
        fields.append(("_feedd", .object([
            ("info_code", .value(item.infoCode.rawValue)),
            ("categories", .array(item.categories.map { .value($0.slug.rawValue) })),
        ])))
        return .object(fields)
    }
}

extension FeedChannel {
    public var jsonFeedURL: String { folderURL + "feed.json" }
}

/// The JSON the writer needs: objects keep their members' order, so the same
/// feed is always the same bytes.
enum JSONValue {
    case string(String)
    case number(Int)
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// A plain-text member (a JSON string of the text itself), without the characters XML 1.0 forbids.
    static func text(_ s: PlainText) -> JSONValue { .string(Encoding.xmlCharacters(s.string)) }
    /// `content_html`: the normalizer's markup only.
    static func html(_ h: HTMLFragment) -> JSONValue { .string(Encoding.xmlCharacters(h.html)) }
    /// A URL, id or date feedd made.
    static func value(_ s: String) -> JSONValue { .string(Encoding.xmlCharacters(s)) }
}

/// Writes JSON (RFC 8259) with two-space indentation.
struct JSONOutput {
    var bytes: [UInt8] = []

    mutating func write(_ value: JSONValue, indent: Int) {
        switch value {
        case .string(let s): JSONString.append(s, to: &bytes)
        case .number(let n): bytes += Array(String(n).utf8)
        case .array(let elements):
            guard !elements.isEmpty else { bytes += Array("[]".utf8); return }
            bytes.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                write(element, indent: indent + 1)
            }
            newline(indent)
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            guard !members.isEmpty else { bytes += Array("{}".utf8); return }
            bytes.append(UInt8(ascii: "{"))
            for (i, (key, member)) in members.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                JSONString.append(key, to: &bytes)
                bytes += Array(": ".utf8)
                write(member, indent: indent + 1)
            }
            newline(indent)
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private mutating func newline(_ indent: Int) {
        bytes.append(0x0A)
        bytes += repeatElement(UInt8(ascii: " "), count: indent * 2)
    }
}

/// A JSON string literal, exactly: `"` and `\` escaped, every C0 control
/// as `\n \r \t \b \f` or `\u00XX`, U+2028/U+2029 as `\u2028`/`\u2029`
/// (JavaScript before ES2019 ends a line there), and `</` as `<\/` and
/// `<!` as `\u003c!`, so the document can sit inside a `<script>` element
/// without ending it. Everything else is UTF-8 as is (a Swift string holds no lone surrogate).
enum JSONString {
    private static let hex = Array("0123456789abcdef".utf8)

    static func append(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { u in
            out.reserveCapacity(out.count + u.count + 2)
            var i = 0
            while i < u.count {
                let b = u[i]
                switch b {
                case 0x22, 0x5C: out += [0x5C, b]
                case 0x0A: out += [0x5C, UInt8(ascii: "n")]
                case 0x0D: out += [0x5C, UInt8(ascii: "r")]
                case 0x09: out += [0x5C, UInt8(ascii: "t")]
                case 0x08: out += [0x5C, UInt8(ascii: "b")]
                case 0x0C: out += [0x5C, UInt8(ascii: "f")]
                case 0x00..<0x20: unicodeEscape(UInt32(b), &out)
                case 0x3C where i + 1 < u.count && u[i + 1] == 0x2F: // "</" → "<\/"
                    out += [0x3C, 0x5C, 0x2F]
                    i += 1
                case 0x3C where i + 1 < u.count && u[i + 1] == 0x21: // "<!" → "\u003c!"
                    unicodeEscape(0x3C, &out)
                // U+2028, U+2029: E2 80 A8/A9 in UTF-8.
                case 0xE2 where i + 2 < u.count && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9):
                    unicodeEscape(u[i + 2] == 0xA8 ? 0x2028 : 0x2029, &out)
                    i += 2
                default: out.append(b)
                }
                i += 1
            }
        }
        out.append(0x22)
    }

    private static func unicodeEscape(_ v: UInt32, _ out: inout [UInt8]) {
        out += [0x5C, UInt8(ascii: "u"), hex[Int((v >> 12) & 0xF)], hex[Int((v >> 8) & 0xF)],
                hex[Int((v >> 4) & 0xF)], hex[Int(v & 0xF)]]
    }
}

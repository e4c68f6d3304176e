import FeedFetch

/// Turns a feed's bytes into text, accepting what feeds get wrong about their
/// encoding. Feeds declare GB2312 and send UTF-8, or declare UTF-8 and send
/// GBK; a reader that trusts the label makes mojibake or gives up.
enum FeedCharset {
    /// The attempts, in order; the first that decodes wins.
    ///
    /// UTF-8 goes before the declared charset because text in any other
    /// multi-byte charset is almost never valid UTF-8 by accident, while
    /// UTF-8 text decodes "successfully" as Latin-1 or often as GBK.
    enum Attempt: CaseIterable {
        /// A UTF-16 byte-order mark is unambiguous.
        case utf16BOM
        case validUTF8
        /// The HTTP charset, else the XML declaration or `<meta charset>`.
        case declared
        /// The superset of GB2312 and GBK: the likeliest undeclared charset of a Chinese feed.
        case gb18030
        case windows1252
    }

    static func hasUTF16BOM(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])
    }

    /// The text as UTF-8 bytes (the input itself when it already is UTF-8)
    /// and, when only a fallback worked, a note saying so.
    static func decode(_ bytes: [UInt8], contentType: String?) -> (utf8: [UInt8], note: String?) {
        for attempt in Attempt.allCases {
            if attempt == .validUTF8 {
                // Validated in place: most feeds are UTF-8, and a 600 KB copy per poll is not free.
                if (try? UTF8Span(validating: bytes.span)) != nil { return (bytes, nil) }
                continue
            }
            if let text = try? decode(bytes, contentType: contentType, as: attempt) {
                let note: String? = switch attempt {
                case .utf16BOM, .validUTF8, .declared: nil
                case .gb18030, .windows1252: "the declared charset does not fit the bytes; read as \(attempt)"
                }
                return (Array(text.utf8), note)
            }
        }
        return (Array(String(decoding: bytes, as: UTF8.self).utf8), "no charset fits the bytes; undecodable bytes replaced")
    }

    private static func decode(_ bytes: [UInt8], contentType: String?, as attempt: Attempt) throws -> String? {
        switch attempt {
        case .utf16BOM:
            guard hasUTF16BOM(bytes) else { return nil }
            return try TextDecoder.decode(bytes, contentType: nil)
        case .validUTF8:
            return nil // handled without decoding, above
        case .declared:
            return try TextDecoder.decode(bytes, contentType: contentType)
        case .gb18030:
            return try TextDecoder.decode(bytes, contentType: "text/xml; charset=gb18030")
        case .windows1252:
            return try TextDecoder.decode(bytes, contentType: "text/xml; charset=windows-1252")
        }
    }
}

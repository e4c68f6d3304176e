/// Reads a feed document of any supported format into a `ParsedFeed`.
///
/// The steps, each a file of its own: read the bytes as UTF-8 (most feeds
/// are) and, if libxml2 finds they are not, decode them from the charset that
/// fits (`FeedCharset`) and read again; detect JSON, else repair what breaks
/// XML parsers (`XMLRepair`), refuse entity declarations (`XMLPrologGuard`),
/// read the XML with libxml2's SAX2 parser and a depth limit (`XMLTreeBuilder`),
/// retrying once in libxml2's recovery mode if it is still not well-formed,
/// and map the tree by its root element.
public enum FeedParser {
    /// - Parameters:
    ///   - bytes: the body as received.
    ///   - url: the document's URL: the base of relative links.
    ///   - contentType: the HTTP `Content-Type`, for its charset.
    public static func parse(_ bytes: [UInt8], url: String, contentType: String?) throws(FeedParseError) -> ParsedFeed {
        // UTF-8 first, validated by libxml2 as it parses rather than in a pass
        // of its own: the same order as FeedCharset's (valid UTF-8 wins over a
        // declared charset), without a second walk over the common case.
        if !FeedCharset.hasUTF16BOM(bytes) {
            do {
                return try parseUTF8(bytes, url: url)
            } catch .invalidCharacters {
                // Not UTF-8 (or characters XML forbids): decode and read again, below.
            }
        }
        let (utf8, charsetNote) = FeedCharset.decode(bytes, contentType: contentType)
        var feed: ParsedFeed
        do {
            feed = try parseUTF8(utf8, url: url)
        } catch .invalidCharacters(let line, let message) {
            // UTF-8 now, so the characters are ones XML forbids: C0 controls a CMS let through.
            let (cleaned, removed) = XMLRepair.removingControlCharacters(utf8)
            if removed > 0, var clean = try? parseUTF8(cleaned, url: url) {
                clean.notes.append("removed \(removed) control character(s) XML does not allow")
                feed = clean
            } else {
                feed = try recover(XMLRepair.repair(cleaned), url: url, line: line, message: message)
            }
        }
        if let charsetNote { feed.notes.insert(charsetNote, at: 0) }
        return feed
    }

    /// Reads bytes believed to be UTF-8.
    static func parseUTF8(_ utf8: [UInt8], url: String) throws(FeedParseError) -> ParsedFeed {
        // A UTF-8 byte-order mark may precede either format.
        let start = utf8.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard utf8[start...].first(where: { !isSpace($0) }) == 0x7B else { // '{'
            return try parseXML(XMLRepair.repair(utf8), url: url)
        }
        guard let text = String(validating: utf8[start...], as: UTF8.self) else {
            throw .invalidCharacters(line: 0, message: "the JSON is not UTF-8")
        }
        return try JSONFeedParser.parse(text, url: url)
    }

    static func parseXML(_ bytes: [UInt8], url: String) throws(FeedParseError) -> ParsedFeed {
        try bytes.withUnsafeBufferPointer { b throws(FeedParseError) in try XMLPrologGuard.check(b) }
        do {
            return try map(readTree(bytes, url: url, recover: false))
        } catch .notWellFormed(let line, let message) {
            // Recovery reads bytes that are not UTF-8 as Latin-1: make sure they are UTF-8 first
            // (the rare path, so the check costs nothing that matters).
            guard (try? UTF8Span(validating: bytes.span)) != nil else {
                throw .invalidCharacters(line: line, message: message)
            }
            return try recover(bytes, url: url, line: line, message: message)
        }
    }

    /// Lenient readers accept what they can of a broken feed: so does feedd,
    /// saying so. (A security refusal is never retried.)
    static func recover(_ bytes: [UInt8], url: String, line: Int, message: String) throws(FeedParseError) -> ParsedFeed {
        guard let root = try? readTree(bytes, url: url, recover: true) else {
            throw .notWellFormed(line: line, message: message)
        }
        var feed = try map(root)
        // libxml2's recovery lets characters XML forbids (C0 controls) through into text: drop them.
        feed.title = feed.title.map(xmlCharacters)
        for i in feed.entries.indices {
            var e = feed.entries[i]
            e.title = e.title.map(xmlCharacters)
            e.summary = e.summary.map(xmlCharacters)
            e.content = e.content.map(xmlCharacters)
            e.id = e.id.map(xmlCharacters)
            e.link = e.link.map(xmlCharacters)
            e.date = e.date.map(xmlCharacters)
            e.categories = e.categories.map(xmlCharacters)
            feed.entries[i] = e
        }
        feed.notes.append("not well-formed XML at line \(line) (\(message)); read what could be recovered")
        return feed
    }

    /// The tree, or an error; in strict mode any libxml2 error fails it.
    private static func readTree(_ bytes: [UInt8], url: String, recover: Bool) throws(FeedParseError) -> XMLElementNode {
        let parsed = XMLTreeBuilder.parse(bytes, url: url, recover: recover)
        if parsed.tooDeep { throw .tooDeep(limit: XMLTreeBuilder.maxDepth) }
        if !recover, let problem = parsed.problem {
            if problem.message.contains("Excessive depth") { throw .tooDeep(limit: XMLTreeBuilder.maxDepth) }
            if problem.isInvalidCharacter { throw .invalidCharacters(line: problem.line, message: problem.message) }
            throw .notWellFormed(line: problem.line, message: problem.message)
        }
        guard let root = parsed.root else { throw .notAFeed(found: "no root element") }
        return root
    }

    /// Dispatches on the root element.
    private static func map(_ root: XMLElementNode) throws(FeedParseError) -> ParsedFeed {
        switch (root.name, root.namespace) {
        case ("rss", _), ("channel", ""): return RSSParser.parse(root)
        case ("RDF", FeedNamespaces.rdf): return RDFParser.parse(root)
        case ("feed", FeedNamespaces.atom10), ("feed", FeedNamespaces.atom03), ("feed", ""): return AtomParser.parse(root)
        default: throw .notAFeed(found: "<\(root.name)>" + (root.namespace.isEmpty ? "" : " in \(root.namespace)"))
        }
    }

    /// `text` without the characters XML 1.0 forbids (C0 controls but tab, LF, CR; U+FFFE, U+FFFF).
    static func xmlCharacters(_ text: String) -> String {
        let forbidden = { (u: Unicode.Scalar) in
            (u.value < 0x20 && u != "\t" && u != "\n" && u != "\r") || u.value == 0xFFFE || u.value == 0xFFFF
        }
        guard text.unicodeScalars.contains(where: forbidden) else { return text }
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: text.unicodeScalars.lazy.filter { !forbidden($0) })
        return String(kept)
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }
}

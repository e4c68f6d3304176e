/// Reads a feed document of any supported format into a `ParsedFeed`.
///
/// The steps, each a file of its own: decode the charset (`FeedCharset`),
/// detect JSON, else repair what breaks XML parsers (`XMLRepair`), refuse
/// entity declarations (`XMLPrologGuard`), stream the XML through libxml2 with
/// a depth limit (`XMLTreeBuilder`), retrying once in libxml2's recovery mode
/// if it is still not well-formed, and map the tree by its root element.
public enum FeedParser {
    /// - Parameters:
    ///   - bytes: the body as received.
    ///   - url: the document's URL: the base of relative links.
    ///   - contentType: the HTTP `Content-Type`, for its charset.
    public static func parse(_ bytes: [UInt8], url: String, contentType: String?) throws(FeedParseError) -> ParsedFeed {
        let (text, charsetNote) = FeedCharset.decode(bytes, contentType: contentType)
        var feed: ParsedFeed
        if text.utf8.first(where: { !isSpace($0) }) == 0x7B { // '{'
            feed = try JSONFeedParser.parse(text, url: url)
        } else {
            feed = try parseXML(XMLRepair.repair(Array(text.utf8)), url: url)
        }
        if let charsetNote { feed.notes.insert(charsetNote, at: 0) }
        return feed
    }

    static func parseXML(_ bytes: [UInt8], url: String) throws(FeedParseError) -> ParsedFeed {
        try bytes.withUnsafeBufferPointer { b throws(FeedParseError) in try XMLPrologGuard.check(b) }
        let root: XMLElementNode
        var notes: [String] = []
        do {
            root = try readTree(bytes, url: url, recover: false)
        } catch .notWellFormed(let line, let message) {
            // Lenient readers accept what they can of a broken feed: so does
            // feedd, saying so. A security refusal is never retried.
            guard let recovered = try? readTree(bytes, url: url, recover: true) else {
                throw .notWellFormed(line: line, message: message)
            }
            root = recovered
            notes.append("not well-formed XML at line \(line) (\(message)); read what could be recovered")
        }
        var feed = try map(root)
        feed.notes += notes
        return feed
    }

    /// The tree, or an error; in strict mode any libxml2 error fails it.
    private static func readTree(_ bytes: [UInt8], url: String, recover: Bool) throws(FeedParseError) -> XMLElementNode {
        guard let reader = XMLStreamReader(utf8: bytes, url: url, recover: recover) else {
            throw .notWellFormed(line: 0, message: "libxml2 could not start a reader")
        }
        let root = try XMLTreeBuilder.build(reader, url: url)
        if !recover, let problem = reader.problem {
            throw .notWellFormed(line: problem.line, message: problem.message)
        }
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

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }
}

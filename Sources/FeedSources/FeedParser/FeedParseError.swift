/// Why a document could not be read as a feed. `FeedSource` wraps it with the
/// source's name and URL.
public enum FeedParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Neither RSS, RDF, Atom nor JSON Feed: an HTML page, say.
    case notAFeed(found: String)
    case notWellFormed(line: Int, message: String)
    /// Bytes libxml2 could not read as UTF-8 (or characters XML forbids):
    /// the cue to decode the document from its declared charset and read again.
    case invalidCharacters(line: Int, message: String)
    /// The DOCTYPE declares entities: refused unread, since expanding them is
    /// how billion-laughs and external-entity (XXE) documents attack a reader.
    case declaresEntities
    case tooDeep(limit: Int)
    case undecodable(String)
    case malformedJSON(String)

    public var description: String {
        switch self {
        case .notAFeed(let found): "not a feed (RSS, RDF, Atom or JSON Feed): found \(found)"
        case .notWellFormed(let line, let message), .invalidCharacters(let line, let message):
            "not well-formed XML at line \(line): \(message)"
        case .declaresEntities:
            "the document declares entities in its DOCTYPE; refused (entity expansion is how billion-laughs and XXE documents work)"
        case .tooDeep(let limit): "elements nested deeper than \(limit) levels; refused"
        case .undecodable(let why): "cannot decode the text: \(why)"
        case .malformedJSON(let why): "malformed JSON: \(why)"
        }
    }
}

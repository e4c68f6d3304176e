/// A feed as read, before identity, dates and categories are decided:
/// the same shape whatever the format was.
public struct ParsedFeed: Sendable, Equatable {
    public var format: FeedFormat
    public var title: String?
    public var entries: [FeedEntry]
    /// Problems that did not stop the reading (a feed that needed recovery).
    public var notes: [String]
}

/// The formats `type: feed` reads, detected from the document.
public enum FeedFormat: String, Sendable, Equatable {
    case rss = "RSS 0.9x/2.0"
    case rdf = "RSS 1.0 (RDF)"
    case atom10 = "Atom 1.0"
    case atom03 = "Atom 0.3"
    case jsonFeed = "JSON Feed"
}

/// One item, entry or JSON Feed item, with every link already absolute.
public struct FeedEntry: Sendable, Equatable {
    /// RSS `<guid>`, Atom `<id>`, JSON Feed `id`, RDF `rdf:about`.
    public var id: String?
    /// Plain text (markup and entities already resolved).
    public var title: String?
    public var link: String?
    /// The date text as written, for `DateParser`: published, else updated.
    public var date: String?
    /// `<category>` / `dc:subject` / Atom `category` label or term / JSON Feed `tags`.
    public var categories: [String] = []
    /// HTML: `<description>`, Atom `<summary>`, JSON Feed `summary`.
    public var summary: String?
    /// HTML: `content:encoded`, Atom `<content>`, JSON Feed `content_html`.
    public var content: String?

    public init(id: String? = nil, title: String? = nil, link: String? = nil, date: String? = nil,
                categories: [String] = [], summary: String? = nil, content: String? = nil) {
        self.id = id
        self.title = title
        self.link = link
        self.date = date
        self.categories = categories
        self.summary = summary
        self.content = content
    }
}

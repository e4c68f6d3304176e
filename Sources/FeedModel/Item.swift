import Foundation

/// One article as feedd stores and renders it.
public struct Item: Hashable, Sendable {
    public var infoCode: InfoCode
    public var title: String
    /// Plain text, no markup.
    public var summary: String
    /// Normalized HTML fragment.
    public var body: String
    /// The article's page upstream, if known.
    public var link: String?
    /// The outlet that wrote it (from the body's 来源 line), the Atom author.
    public var outlet: String?
    public var published: Date
    /// Moves when the title or body changes.
    public var updated: Date
    public var categories: [Category]
    /// In `all/` with stories on: the other outlets' copies of this story
    /// (Atom `<link rel="related">`). Empty everywhere else.
    public var related: [Related] = []

    /// Another outlet's copy of the same story.
    public struct Related: Hashable, Sendable {
        public var infoCode: InfoCode
        /// The outlet's name (plain text).
        public var outlet: String
        /// Its page, already checked to be http(s); nil when it has none.
        public var link: String?

        public init(infoCode: InfoCode, outlet: String, link: String?) {
            self.infoCode = infoCode
            self.outlet = outlet
            self.link = link
        }
    }

    public init(infoCode: InfoCode, title: String, summary: String, body: String, link: String?,
                outlet: String?, published: Date, updated: Date, categories: [Category]) {
        self.infoCode = infoCode
        self.title = title
        self.summary = summary
        self.body = body
        self.link = link
        self.outlet = outlet
        self.published = published
        self.updated = updated
        self.categories = categories
    }
}

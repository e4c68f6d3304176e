import FeedRules
/// `type: html`: a web page listing articles, read with XPath 1.0.
public struct HTMLSourceSettings: Sendable, Equatable {
    /// Selects one node per listed article (`//ul[@class="list"]/li`).
    public var items: String
    /// Evaluated relative to each item node.
    public var fields: Fields
    /// Where the body sits on each linked page; nil takes no body.
    public var body: ArticleExtraction?
    /// A regular expression whose first match in the item's link is the info
    /// code (first capture group when it has one).
    public var idPattern: Pattern?

    public struct Fields: Sendable, Equatable {
        public var title: String
        public var link: String
        public var date: String?

        public init(title: String, link: String, date: String? = nil) {
            self.title = title
            self.link = link
            self.date = date
        }
    }

    public init(items: String, fields: Fields, body: ArticleExtraction? = nil, idPattern: Pattern? = nil) {
        self.items = items
        self.fields = fields
        self.body = body
        self.idPattern = idPattern
    }
}

extension ConfigLoader {
    static let htmlSourceKeys = ["items", "fields", "body", "id"]
    static let htmlFieldKeys = ["title", "link", "date"]

    /// `type: html`: `items`, `fields` {title, link, date}, optional `body` and `id`; needs `category`.
    static func readHTMLSource(_ s: SourceContext) throws(ConfigError) -> SourceConfig.Kind {
        let m = s.mapping
        guard m.optional("category") != nil else {
            throw s.value.error("source '\(s.name)' needs 'category': a page list names no categories")
        }
        let f = try m.required("fields").mapping(allowed: htmlFieldKeys)
        let fields = HTMLSourceSettings.Fields(title: try f.required("title").string(), link: try f.required("link").string(),
                                               date: try f.optional("date")?.string())
        return .html(HTMLSourceSettings(items: try m.required("items").string(), fields: fields,
                                        body: try readExtraction(m.optional("body")),
                                        idPattern: try readIDPattern(m.optional("id"))))
    }
}

import FeedModel

/// `type: json`: a JSON news API listing records, bodies from a second endpoint.
public struct JSONSourceSettings: Sendable, Equatable {
    /// Dotted path to the array of records (`record`, `data.list`).
    public var list: String
    public var fields: FieldMapping
    public var body: BodyEndpoint?
    /// Article link template with `{id}`, when no field gives one.
    public var link: String?

    public struct FieldMapping: Sendable, Equatable {
        public var id: String
        public var title: String
        public var date: String?
        public var category: String?
        public var summary: String?
        public var link: String?
        /// The body inline in the record, when the list carries it.
        public var body: String?
    }

    public struct BodyEndpoint: Sendable, Equatable {
        /// URL template with `{id}`.
        public var url: String
        /// Field of the answer's JSON object that holds the HTML.
        public var field: String
    }
}

extension ConfigLoader {
    static let jsonFieldKeys = ["id", "title", "date", "category", "summary", "link", "body"]

    /// `type: json`: `list`, `fields`, optional `body` endpoint and `link` template.
    static func readJSONSource(_ s: SourceContext) throws(ConfigError) -> SourceConfig.Kind {
        let m = s.mapping
        let list = try m.required("list").string()
        let fields = try readJSONFields(m.required("fields"))
        var body: JSONSourceSettings.BodyEndpoint?
        if let b = m.optional("body") {
            let bm = try b.mapping(allowed: ["url", "field"])
            let template = try bm.required("url")
            let text = try template.string()
            guard text.contains("{id}") else { throw template.error("the body URL must contain {id}") }
            _ = try readURL(template, text: text.replacingOccurrences(of: "{id}", with: "X"))
            body = .init(url: fileURL(text, base: s.base), field: try bm.optional("field")?.string() ?? "text")
        }
        if fields.category == nil, m.optional("category") == nil {
            throw s.value.error("source '\(s.name)' needs 'category' (a fixed category) or 'fields.category'")
        }
        return .json(JSONSourceSettings(list: list, fields: fields, body: body, link: try m.optional("link")?.string()))
    }

    static func readJSONFields(_ value: YAMLValue) throws(ConfigError) -> JSONSourceSettings.FieldMapping {
        let m = try value.mapping(allowed: jsonFieldKeys)
        return .init(id: try m.required("id").string(), title: try m.required("title").string(),
                     date: try m.optional("date")?.string(), category: try m.optional("category")?.string(),
                     summary: try m.optional("summary")?.string(), link: try m.optional("link")?.string(),
                     body: try m.optional("body")?.string())
    }
}

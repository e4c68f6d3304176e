import Foundation

/// JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1).
enum JSONFeedParser {
    static func parse(_ text: String, url: String) throws(FeedParseError) -> ParsedFeed {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(text.utf8))
        } catch {
            let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "not valid JSON"
            throw .malformedJSON(reason)
        }
        guard let feed = root as? [String: Any], let version = feed["version"] as? String,
              version.contains("jsonfeed.org/version/") else {
            throw .notAFeed(found: "JSON without a JSON Feed \"version\"")
        }
        let items = feed["items"] as? [Any] ?? []
        return ParsedFeed(format: .jsonFeed, title: UpstreamText.from(feed["title"] as? String),
                          entries: items.compactMap { ($0 as? [String: Any]).map { entry($0, url: url) } }, notes: [])
    }

    static func entry(_ item: [String: Any], url: String) -> FeedEntry {
        let link = (string(item["url"]) ?? string(item["external_url"])).map { ReferenceResolver.resolve($0, against: url) }
        let content = string(item["content_html"]) ?? string(item["content_text"]).map { XMLElementNode.escape($0, quotes: false) }
        let tags = (item["tags"] as? [Any] ?? []).compactMap { string($0).flatMap(UpstreamText.from) }
        return FeedEntry(id: string(item["id"]), title: UpstreamText.from(string(item["title"])), link: link,
                         date: string(item["date_published"]) ?? string(item["date_modified"]),
                         categories: tags, summary: string(item["summary"]).map { XMLElementNode.escape($0, quotes: false) },
                         content: content)
    }

    /// A string, or a number written as one (1.0 feeds often give numeric ids); nil when empty.
    private static func string(_ value: Any?) -> String? {
        switch value {
        case let s as String: RSSParser.nonEmpty(s)
        case let n as NSNumber: n.stringValue
        default: nil
        }
    }
}

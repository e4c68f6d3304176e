import FeedConfig
import FeedFetch
import FeedModel
import Foundation

/// A JSON news API (`type: json`): a list of records, each keyed by an info
/// code, and a second endpoint answering one article body per code.
public struct JSONSource: Source {
    public let config: SourceConfig
    public let settings: JSONSourceSettings
    let client: HTTPClient
    let dates: DateParser

    public init(config: SourceConfig, settings: JSONSourceSettings, client: HTTPClient, dates: DateParser) {
        self.config = config
        self.settings = settings
        self.client = client
        self.dates = dates
    }

    /// Fetches the list (conditionally) and reads its records.
    public func poll(conditional: ConditionalHeaders?) async throws(SourceError) -> PollOutcome {
        guard let response = try await fetchList(client, conditional: conditional) else { return .notModified }
        return .listed(try readList(response), validators: response.validators, bytes: response.body.count)
    }

    /// Reads a list answer: the array at `list`, each record through the field mapping.
    func readList(_ response: FetchResponse) throws(SourceError) -> ListReading {
        let root = try parseJSON(response)
        guard let records = JSONPath.value(at: settings.list, in: root) as? [Any] else {
            throw .malformed(source: config.name, url: response.url,
                             message: "no list at '\(settings.list)' (check `list`)")
        }
        var reading = ListReading(source: config.name)
        for (index, element) in records.enumerated() {
            guard let record = element as? [String: Any] else {
                reading.skip("source '\(config.name)': record \(index) is not an object; skipped")
                continue
            }
            switch item(from: record, reading: &reading) {
            case .success(let item): reading.items.append(item)
            case .failure(let missing):
                reading.skip("source '\(config.name)': record \(index) has no '\(missing.name)'; skipped")
            }
        }
        return reading
    }

    /// The item of one record; its date goes through `reading`, which counts the unreadable ones.
    private func item(from record: [String: Any], reading: inout ListReading) -> Result<UpstreamItem, MissingFieldName> {
        let f = settings.fields
        guard let idText = JSONPath.string(at: f.id, in: record), let code = InfoCode(idText) else {
            return .failure(MissingFieldName(f.id))
        }
        guard let title = JSONPath.string(at: f.title, in: record)?.trimmingCharacters(in: .whitespacesAndNewlines),
              !title.isEmpty else {
            return .failure(MissingFieldName(f.title))
        }
        let categoryName = f.category.flatMap { JSONPath.string(at: $0, in: record) }?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard let category = (categoryName?.isEmpty == false ? categoryName : nil) ?? config.category else {
            return .failure(MissingFieldName(f.category ?? "category"))
        }
        let dateText = f.date.flatMap { JSONPath.string(at: $0, in: record) }
        let published = reading.date(dateText, parser: dates)
        let link = f.link.flatMap { JSONPath.string(at: $0, in: record) }
            ?? settings.link.map { Template.expand($0, id: code.rawValue) }
        return .success(UpstreamItem(
            infoCode: code, title: title, published: published, categoryNames: [category],
            summary: f.summary.flatMap { JSONPath.string(at: $0, in: record) },
            link: link, inlineBody: f.body.flatMap { JSONPath.string(at: $0, in: record) }, dateText: dateText))
    }

    /// Fetches the body of one article from the body endpoint. nil when the
    /// source has no body endpoint (the list's inline body or summary is used).
    public func bodyURL(for item: UpstreamItem) -> String? {
        guard item.inlineBody == nil, let endpoint = settings.body else { return nil }
        return Template.expand(endpoint.url, id: item.infoCode.rawValue)
    }

    public func body(for item: UpstreamItem) async throws(SourceError) -> String? {
        if let inline = item.inlineBody { return inline }
        guard let endpoint = settings.body else { return nil }
        let url = Template.expand(endpoint.url, id: item.infoCode.rawValue)
        let response: FetchResponse
        do {
            response = try await client.fetch(FetchRequest(url: url, options: config.request))
        } catch {
            throw .fetch(source: config.name, error)
        }
        let root = try parseJSON(response)
        guard let object = root as? [String: Any] else {
            throw .malformed(source: config.name, url: url, message: "body answer is not a JSON object")
        }
        guard let value = object[endpoint.field] else {
            throw .malformed(source: config.name, url: url, message: "body answer has no '\(endpoint.field)' field")
        }
        if value is NSNull { return "" }
        guard let html = value as? String else {
            throw .malformed(source: config.name, url: url, message: "'\(endpoint.field)' is not a string")
        }
        return html
    }

    private func parseJSON(_ response: FetchResponse) throws(SourceError) -> Any {
        let text: String
        do { text = try response.text() } catch { throw .fetch(source: config.name, error) }
        do {
            return try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "not valid JSON"
            throw .malformed(source: config.name, url: response.url, message: "malformed JSON: \(reason)")
        }
    }
}

struct MissingFieldName: Error {
    let name: String
    init(_ name: String) { self.name = name }
}

/// `{id}` in a URL template, percent-encoded.
enum Template {
    static func expand(_ template: String, id: String) -> String {
        let encoded = id.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#?/"))) ?? id
        return template.replacingOccurrences(of: "{id}", with: encoded)
    }
}

/// Dotted paths into decoded JSON: `data.list`, `record`.
enum JSONPath {
    static func value(at path: String, in root: Any) -> Any? {
        var current: Any? = root
        for key in path.split(separator: ".") {
            guard let object = current as? [String: Any] else { return nil }
            current = object[String(key)]
        }
        return current
    }

    /// A string or number at `path`, as text; nil for missing, null or empty.
    static func string(at path: String, in root: Any) -> String? {
        switch value(at: path, in: root) {
        case let s as String: return s.isEmpty ? nil : s
        case let n as NSNumber: return n.stringValue
        default: return nil
        }
    }
}

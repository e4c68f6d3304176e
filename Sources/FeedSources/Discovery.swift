import FeedFetch
import Foundation

/// What `feedd discover URL` found at an address: a feed, a JSON news list, or
/// the feeds a page announces, each ready to become a `sources:` entry.
public struct DiscoveredSource: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// RSS, RDF, Atom or JSON Feed (`type: feed`).
        case feed(FeedFormat)
        /// A JSON news list (`type: json`): where its records are and which of their keys look like what.
        case jsonList(list: String, fields: GuessedFields)
    }

    /// The record keys that look like feedd's fields; `id` and `title` always found.
    public struct GuessedFields: Sendable, Equatable {
        public var id: String
        public var title: String
        public var date: String?
        public var category: String?
        public var summary: String?
        public var link: String?
    }

    public var url: String
    public var kind: Kind
    /// The feed's own title, or the announcing link's; nil when neither says.
    public var title: String?
    /// How many items or records it holds now.
    public var items: Int
    /// Why an announced feed could not be read (its entry says what the page claims): nil when it was.
    public var unreadable: String?
}

/// Why nothing could be discovered at an address.
public enum DiscoveryError: Error, Sendable, CustomStringConvertible {
    case fetch(FetchError)
    /// The answer is neither a feed, nor a JSON list, nor a page announcing feeds.
    case nothingFound(url: String, reason: String)

    public var description: String {
        switch self {
        case .fetch(let error): "\(error)"
        case .nothingFound(let url, let reason): "\(url): \(reason)"
        }
    }
}

/// Recognises a feed or a JSON list by its content, or finds the feeds a page
/// announces with `<link rel="alternate">` (and reads each to name it).
public struct Discovery: Sendable {
    let client: HTTPClient

    public init(client: HTTPClient) { self.client = client }

    /// The `type:` of an announcing `<link>` that feedd reads.
    static let feedTypes: Set<String> = [
        "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json",
        "application/json", "text/xml", "application/xml",
    ]

    public func discover(_ url: String) async throws(DiscoveryError) -> [DiscoveredSource] {
        let response = try await fetch(url)
        if let found = Self.recognise(response) { return [found] }
        let text: String
        do { text = try response.text() } catch { throw .fetch(error) }
        guard let page = HTMLDocument(html: text, url: response.url) else {
            throw .nothingFound(url: url, reason: "the answer is not a feed, a JSON list or an HTML page")
        }
        let announced = Self.announcedFeeds(in: page)
        guard !announced.isEmpty else {
            throw .nothingFound(url: url, reason: "an HTML page that announces no feed (no <link rel=\"alternate\"> "
                + "of an RSS, Atom or JSON Feed type); an HTML list source (`type: html`) can read it with XPath")
        }
        var found: [DiscoveredSource] = []
        for link in announced {
            // A feed that cannot be read is still worth naming: the entry says what the page claims, and why.
            let problem: String
            do {
                let answer = try await fetch(link.url)
                if var feed = Self.recognise(answer) {
                    feed.title = feed.title ?? link.title
                    found.append(feed)
                    continue
                }
                problem = "its answer (\(answer.contentType ?? "no content type")) is not a feed"
            } catch {
                problem = "not read: \(error)"
            }
            found.append(DiscoveredSource(url: link.url, kind: .feed(link.format), title: link.title, items: 0,
                                          unreadable: problem))
        }
        return found
    }

    private func fetch(_ url: String) async throws(DiscoveryError) -> FetchResponse {
        do { return try await client.fetch(FetchRequest(url: url)) } catch { throw .fetch(error) }
    }

    /// The answer itself as a source: a feed of any format, else a JSON list of records.
    static func recognise(_ response: FetchResponse) -> DiscoveredSource? {
        let first = response.body.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            if let feed = try? FeedParser.parse(response.body, url: response.url, contentType: response.contentType),
               feed.format == .jsonFeed {
                return DiscoveredSource(url: response.url, kind: .feed(.jsonFeed), title: feed.title, items: feed.entries.count)
            }
            return JSONListGuess.guess(response.body).map {
                DiscoveredSource(url: response.url, kind: .jsonList(list: $0.list, fields: $0.fields), title: nil,
                                 items: $0.records)
            }
        }
        guard first == UInt8(ascii: "<"),
              let feed = try? FeedParser.parse(response.body, url: response.url, contentType: response.contentType) else {
            return nil
        }
        return DiscoveredSource(url: response.url, kind: .feed(feed.format), title: feed.title, items: feed.entries.count)
    }

    struct AnnouncedFeed {
        var url: String
        var title: String?
        var format: FeedFormat
    }

    /// `<link rel="alternate" type="…" href="…">` of the feed types, absolute, each once, in page order.
    static func announcedFeeds(in page: HTMLDocument) -> [AnnouncedFeed] {
        let expression = "//link[contains(concat(' ', translate(normalize-space(@rel), 'ALTERNATE', 'alternate'), ' '),"
            + " ' alternate ') and @href]"
        guard case .nodes(let links)? = try? page.evaluate(expression) else { return [] }
        var seen = Set<String>()
        var feeds: [AnnouncedFeed] = []
        for link in links {
            let type = ((try? page.string("@type", at: link)) ?? nil)?.lowercased()
                .split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard feedTypes.contains(type), let href = (try? page.string("@href", at: link)) ?? nil else { continue }
            let url = page.resolve(href)
            guard url.hasPrefix("http://") || url.hasPrefix("https://"), seen.insert(url).inserted else { continue }
            let title = ((try? page.string("@title", at: link)) ?? nil)?.trimmingCharacters(in: .whitespacesAndNewlines)
            let format: FeedFormat = type.contains("atom") ? .atom10 : type.contains("json") ? .jsonFeed
                : type.contains("rdf") ? .rdf : .rss
            feeds.append(AnnouncedFeed(url: url, title: title?.isEmpty == false ? title : nil, format: format))
        }
        return feeds
    }
}

/// Finds the array of news records in a JSON answer (the longest array of
/// objects, at most three keys deep) and guesses which keys are which.
enum JSONListGuess {
    struct Guess {
        var list: String
        var fields: DiscoveredSource.GuessedFields
        var records: Int
    }

    /// Key names the upstream APIs use, most telling first (compared case-insensitively).
    static let dateKeys = ["showtime", "datetime", "publishtime", "pubdate", "date", "time", "ctime", "published"]
    static let categoryKeys = ["medianame", "from", "source", "media", "category", "column"]
    static let summaryKeys = ["digest", "summary", "simdigest", "description", "abstract"]
    static let linkKeys = ["url_w", "url", "link", "href", "shareurl"]
    static let idKeys = ["infocode", "code", "id", "guid", "newsid", "artcode"]
    static let titleKeys = ["title", "simtitle", "headline", "name"]

    static func guess(_ bytes: [UInt8]) -> Guess? {
        guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) else { return nil }
        guard let (path, records) = longestRecordArray(in: root, path: [], depth: 0), !records.isEmpty else { return nil }
        let keys = records.prefix(20).reduce(into: [String]()) { all, record in
            for key in record.keys.sorted() where !all.contains(key) { all.append(key) }
        }
        func find(_ names: [String], excluding used: [String] = []) -> String? {
            for name in names {
                if let key = keys.first(where: { $0.lowercased() == name.lowercased() && !used.contains($0) }) { return key }
            }
            return nil
        }
        guard let id = find(idKeys), let title = find(titleKeys) else { return nil }
        var fields = DiscoveredSource.GuessedFields(id: id, title: title)
        var used = [id, title]
        func take(_ names: [String]) -> String? {
            let key = find(names, excluding: used)
            if let key { used.append(key) }
            return key
        }
        fields.date = take(dateKeys)
        fields.category = take(categoryKeys)
        fields.summary = take(summaryKeys)
        fields.link = take(linkKeys)
        return Guess(list: path.joined(separator: "."), fields: fields, records: records.count)
    }

    private static func longestRecordArray(in value: Any, path: [String], depth: Int) -> ([String], [[String: Any]])? {
        if let array = value as? [Any], !path.isEmpty {
            let records = array.compactMap { $0 as? [String: Any] }
            return records.count * 2 >= array.count ? (path, records) : nil
        }
        guard depth < 3, let object = value as? [String: Any] else { return nil }
        var best: ([String], [[String: Any]])?
        for key in object.keys.sorted() where !key.contains(".") {
            if let found = longestRecordArray(in: object[key]!, path: path + [key], depth: depth + 1),
               found.1.count > (best?.1.count ?? -1) {
                best = found
            }
        }
        return best
    }
}

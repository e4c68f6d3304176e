import FeedConfig
import FeedFetch
import FeedModel
import Foundation

/// A web page that lists articles (`type: html`), read with XPath 1.0: one
/// node per article from `items`, then `fields` relative to each node.
public struct HTMLListSource: Source {
    public let config: SourceConfig
    public let settings: HTMLSourceSettings
    let client: HTTPClient
    let dates: DateParser

    public init(config: SourceConfig, settings: HTMLSourceSettings, client: HTTPClient, dates: DateParser) {
        self.config = config
        self.settings = settings
        self.client = client
        self.dates = dates
    }

    /// Fetches the page (conditionally) and reads its list.
    public func poll(conditional: ConditionalHeaders?) async throws(SourceError) -> PollOutcome {
        guard let response = try await fetchList(client, conditional: conditional) else { return .notModified }
        let html: String
        do { html = try response.text() } catch { throw .fetch(source: config.name, error) }
        return .listed(try read(html: html, url: response.url), validators: response.validators, bytes: response.body.count)
    }

    /// Reads a list page (already decoded) into items. A page where `items`
    /// matches nothing is an error, not an empty list: the site changed.
    public func read(html: String, url: String) throws(SourceError) -> ListReading {
        guard let page = HTMLDocument(html: html, url: url) else {
            throw .malformed(source: config.name, url: url, message: "the page could not be parsed as HTML")
        }
        let nodes: [HTMLDocument.Node]
        switch try evaluate(settings.items, key: "items", on: page, at: nil, url: url) {
        case .nodes(let found): nodes = found
        case .text: throw .malformed(source: config.name, url: url, message: "`items` must select nodes, not a value")
        }
        guard !nodes.isEmpty else {
            throw .malformed(source: config.name, url: url, message: "items matched 0 nodes: check `items`")
        }
        var reading = ListReading(source: config.name)
        let identity = ItemIdentity(pattern: settings.idPattern)
        let f = settings.fields
        for (index, node) in nodes.enumerated() {
            let title = UpstreamText.from(try field(f.title, key: "fields.title", on: page, at: node, url: url))
            let href = try field(f.link, key: "fields.link", on: page, at: node, url: url)
                .flatMap(RSSParser.nonEmpty).map(page.resolve)
            guard let title, let link = href else {
                reading.skip("source '\(config.name)': item \(index) has no \(title == nil ? "title" : "link"); skipped")
                continue
            }
            var dateText: String?
            if let date = f.date { dateText = UpstreamText.from(try field(date, key: "fields.date", on: page, at: node, url: url)) }
            let published = reading.date(dateText, parser: dates)
            let (code, _, _) = identity.code(id: nil, link: link, title: title, date: dateText)
            reading.items.append(UpstreamItem(infoCode: code, title: title, published: published,
                                              categoryNames: config.category.map { [$0] } ?? [], link: link,
                                              dateText: dateText))
        }
        return reading
    }

    public func bodyURL(for item: UpstreamItem) -> String? {
        settings.body == nil ? nil : item.link
    }

    /// With `body`: the linked page, fetched once per new item, the configured node taken.
    public func body(for item: UpstreamItem) async throws(SourceError) -> String? {
        guard let extraction = settings.body, let link = item.link else { return nil }
        let page = ArticlePage(client: client, source: config.name, key: "body.xpath", options: config.request)
        return try await page.body(at: link, extraction)
    }

    private func field(_ expression: String, key: String, on page: HTMLDocument, at node: HTMLDocument.Node,
                       url: String) throws(SourceError) -> String? {
        switch try evaluate(expression, key: key, on: page, at: node, url: url) {
        case .nodes(let found): found.first.map(page.text(of:))
        case .text(let s): s
        }
    }

    private func evaluate(_ expression: String, key: String, on page: HTMLDocument, at node: HTMLDocument.Node?,
                          url: String) throws(SourceError) -> HTMLDocument.Value {
        do {
            return try page.evaluate(expression, at: node)
        } catch {
            throw .malformed(source: config.name, url: url, message: "`\(key)` is not a valid XPath 1.0 expression: '\(expression)'")
        }
    }
}

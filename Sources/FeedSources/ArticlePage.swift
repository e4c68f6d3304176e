import FeedConfig
import FeedFetch
import FeedModel

/// An article's own page, fetched to take its body: `full_text` of a feed,
/// `body` of an HTML list. The page's charset is honoured (HTTP header, BOM,
/// `<meta charset>`), GBK included.
struct ArticlePage {
    let client: HTTPClient
    let source: String
    /// The config key the XPath came from, for messages: `full_text.xpath`.
    let key: String
    /// The source's headers, proxy and user agent.
    let options: RequestOptions

    /// Fetches `url` and returns the HTML of what `extraction.xpath` selects:
    /// one element gives its content, several nodes give each whole, in order.
    func body(at url: String, _ extraction: ArticleExtraction) async throws(SourceError) -> String {
        let response: FetchResponse
        do {
            response = try await client.fetch(FetchRequest(url: url, options: options))
        } catch {
            throw .fetch(source: source, error)
        }
        let text: String
        do { text = try response.text() } catch { throw .fetch(source: source, error) }
        return try extract(html: text, url: response.url, extraction)
    }

    func extract(html: String, url: String, _ extraction: ArticleExtraction) throws(SourceError) -> String {
        guard let page = HTMLDocument(html: html, url: url) else {
            throw .malformed(source: source, url: url, message: "the page could not be parsed as HTML")
        }
        let value: HTMLDocument.Value
        do {
            value = try page.evaluate(extraction.xpath)
        } catch {
            throw .malformed(source: source, url: url, message: "`\(key)` is not a valid XPath 1.0 expression: \(error.expression)")
        }
        switch value {
        case .text(let s):
            guard !s.isEmpty else { throw zeroMatches(url) }
            return XMLElementNode.escape(s, quotes: false)
        case .nodes(let nodes):
            guard let first = nodes.first else { throw zeroMatches(url) }
            if nodes.count == 1, page.isElement(first) { return page.innerHTML(first) }
            return nodes.map(page.outerHTML).joined(separator: "\n")
        }
    }

    private func zeroMatches(_ url: String) -> SourceError {
        .malformed(source: source, url: url, message: "`\(key)` matched 0 nodes: check `\(key)`")
    }
}

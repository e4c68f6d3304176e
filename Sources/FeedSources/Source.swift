import FeedConfig
import FeedFetch

/// An upstream feedd polls. One type per kind of source (`type:` in the config).
public protocol Source: Sendable {
    var config: SourceConfig { get }

    /// Fetches the list, conditionally; `.notModified` when the upstream said 304.
    func poll(conditional: ConditionalHeaders?) async throws(SourceError) -> PollOutcome

    /// The raw body HTML of a new item: from the item itself, or fetched once
    /// (never for a code already stored). nil when the source has none.
    func body(for item: UpstreamItem) async throws(SourceError) -> String?

    /// The address `body(for:)` fetches for `item` (its host is the one the
    /// request counts against for `poll.per_host`); nil when it fetches nothing.
    func bodyURL(for item: UpstreamItem) -> String?
}

extension Source {
    /// GETs the source's own URL with the stored validators; nil when the
    /// upstream answered 304 (nothing new, nothing to parse).
    func fetchList(_ client: HTTPClient, conditional: ConditionalHeaders?) async throws(SourceError) -> FetchResponse? {
        do {
            let response = try await client.fetch(FetchRequest(url: config.url, conditional: conditional, options: config.request))
            return response.isNotModified ? nil : response
        } catch {
            throw .fetch(source: config.name, error)
        }
    }
}

/// Builds the source a config entry describes.
public enum SourceFactory {
    public static func make(_ config: SourceConfig, client: HTTPClient, dates: DateParser) -> any Source {
        switch config.kind {
        case .json(let settings):
            JSONSource(config: config, settings: settings, client: client, dates: dates)
        case .feed(let settings):
            FeedSource(config: config, settings: settings, client: client, dates: dates)
        case .html(let settings):
            HTMLListSource(config: config, settings: settings, client: client, dates: dates)
        }
    }
}

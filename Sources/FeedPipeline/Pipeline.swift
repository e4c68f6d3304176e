import FeedConfig
import FeedFetch
import FeedModel
import FeedNormalize
import FeedRender
import FeedSources
import FeedStore
import Foundation
import Logging
import Synchronization

/// The whole flow for a set of sources: poll → fetch new bodies → normalize →
/// store (deduplicated by info code) → render. `feedd refresh` runs it once;
/// the daemon runs `poll(_:)` per source on a schedule.
public final class Pipeline: Sendable {
    public let config: Config
    public let store: FeedStore
    public let client: HTTPClient
    let logger: Logger
    let now: @Sendable () -> Date
    let limiter: FetchLimiter
    let bodies = BodyCoordinator()
    let knownSlugs = Mutex<[String: Slug]>([:])
    let renderer: FeedRenderer

    /// Upstream dates further ahead than this are clamped to first-seen time.
    static let allowedClockSkew: TimeInterval = 5 * 60

    public convenience init(config: Config, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) throws(StoreError) {
        self.init(config: config, store: try FeedStore(path: config.storage), logger: logger, now: now)
    }

    /// A pipeline over an open store: the daemon builds a new one on reload and keeps the store.
    public init(config: Config, store: FeedStore, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.config = config
        self.logger = logger
        self.now = now
        self.store = store
        client = HTTPClient(settings: FetchSettings(timeout: config.poll.timeout, connectTimeout: min(config.poll.timeout, .seconds(10)),
                                                    maxBody: config.poll.maxBody, userAgent: config.poll.userAgent),
                            poolCapacity: config.poll.concurrency * 2)
        limiter = FetchLimiter(width: config.poll.concurrency, perHost: config.poll.perHost)
        renderer = FeedRenderer(config: config, store: store)
    }

    // MARK: refresh

    /// Polls `sources` once (at most `poll.concurrency` fetches at a time), then
    /// renders every feed whose items changed.
    public func refresh(_ sources: [SourceConfig]) async -> RefreshReport {
        var reports: [SourceReport] = []
        await withTaskGroup(of: (Int, SourceReport, Set<Slug>).self) { group in
            for (index, source) in sources.enumerated() {
                group.addTask { let (r, s) = await self.poll(source); return (index, r, s) }
            }
            var byIndex: [Int: SourceReport] = [:]
            for await (index, report, _) in group { byIndex[index] = report }
            reports = sources.indices.compactMap { byIndex[$0] }
        }
        let rendered = render(nil)
        for error in rendered.errors { logger.error("\(error)") }
        return RefreshReport(sources: reports, filesWritten: rendered.filesWritten, renderErrors: rendered.errors)
    }

    // MARK: one source

    /// Polls one source and applies the result to the store in one transaction.
    /// Returns the report and the slugs whose feeds changed.
    public func poll(_ source: SourceConfig) async -> (SourceReport, Set<Slug>) {
        let started = now()
        var state = (try? store.sourceState(named: source.name)) ?? SourceState(name: source.name)
        state.lastPoll = started
        do {
            let (report, slugs) = try await pollUnrecorded(source, state: &state)
            for w in report.warnings { logger.warning("\(w)") }
            return (report, slugs)
        } catch {
            let message = "\(error)"
            logger.error("\(message)")
            state.lastResult = "failed"
            state.message = message
            state.consecutiveFailures += 1
            try? store.save(state)
            var report = SourceReport(name: source.name, status: .failed(message))
            report.retryAfter = (error as? SourceError)?.retryAfter
            return (report, [])
        }
    }

    private func pollUnrecorded(_ source: SourceConfig, state: inout SourceState) async throws -> (SourceReport, Set<Slug>) {
        let upstream = makeSource(source)
        let stored = try store.validators(for: source.url)
        let conditional = stored.map { ConditionalHeaders(etag: $0.etag, lastModified: $0.lastModified) }
        let outcome = try await limiter.run(url: source.url) {
            await Self.capture { () async throws(SourceError) in try await upstream.poll(conditional: conditional) }
        }.get()

        var report = SourceReport(name: source.name, status: .ok)
        state.lastResult = "ok"
        state.message = nil
        state.consecutiveFailures = 0
        state.lastSuccess = state.lastPoll
        guard case .listed(let reading, let validators, let bytes) = outcome else {
            report.status = .notModified
            state.lastResult = "not modified"
            state.itemsNew = 0
            state.itemsUpdated = 0
            try store.save(state)
            return (report, [])
        }
        report.bytes = bytes
        report.warnings = reading.warnings
        // Errors are what could not be taken: skipped records here, failed bodies below.
        // The other warnings (a date guessed, a charset that did not fit) are only warnings.
        report.errors = reading.skipped

        let items = Self.uniqueByCode(reading.items)
        report.listed = items.count
        let known = try store.knownCodes(items.map(\.infoCode))
        let fresh = items.filter { !known.contains($0.infoCode) }
        let fetched = await fetchBodies(fresh, from: upstream)

        var incoming: [IncomingItem] = []
        var bodyFailures = 0
        for item in items {
            var body: IncomingItem.NormalizedBody?
            var summary = Self.summary(of: item)
            if !known.contains(item.infoCode) {
                switch fetched[item.infoCode] {
                case .failure(let error)?:
                    report.warnings.append("\(error); item \(item.infoCode) will be tried again next poll")
                    bodyFailures += 1
                    continue
                case .success(let raw)?:
                    let rawHTML = raw ?? ""
                    let normalized = HTMLNormalizer.normalize(rawHTML, articleURL: item.link)
                    body = .init(html: normalized.html, raw: rawHTML, outlet: normalized.outlet,
                                 normalizerVersion: HTMLNormalizer.version)
                    if summary.isEmpty { summary = normalized.summary }
                case nil:
                    continue
                }
            }
            let categories = item.categoryNames.map { name in
                let (category, slugWarning) = self.category(named: name)
                if let slugWarning { report.warnings.append("source '\(source.name)': \(slugWarning)") }
                return category
            }
            incoming.append(IncomingItem(infoCode: item.infoCode, title: item.title, summary: summary, body: body,
                                         link: item.link, published: published(item, source: source, report: &report),
                                         categories: categories))
        }
        report.errors += bodyFailures
        // Validators are kept only when every new item was taken: otherwise the
        // next poll must get the list again (not a 304) to retry the missing bodies.
        let keepValidators = bodyFailures == 0
        state.itemsListed = items.count
        let result = try store.apply(items: incoming, source: state,
                                     validators: keepValidators ? (source.url, validators.etag, validators.lastModified) : nil,
                                     now: now())
        let storySlugs = assignStories(incoming)
        report.new = result.new
        report.updated = result.updated
        report.unchanged = result.unchanged
        state.itemsNew = result.new
        state.itemsUpdated = result.updated
        try store.save(state)
        return (report, result.changedSlugs.union(storySlugs))
    }

    private func makeSource(_ source: SourceConfig) -> any Source {
        SourceFactory.make(source, client: client, dates: DateParser(zone: config.site.timezone))
    }

    /// Bodies of new items, within `poll.concurrency` and `poll.per_host`, one request per code.
    private func fetchBodies(_ items: [UpstreamItem], from source: any Source) async -> [InfoCode: Result<String?, SourceError>] {
        await withTaskGroup(of: (InfoCode, Result<String?, SourceError>).self) { group in
            for item in items {
                group.addTask {
                    let answer = await self.bodies.body(for: item.infoCode) {
                        let fetch: @Sendable () async -> Result<String?, SourceError> = {
                            await Self.capture { () async throws(SourceError) in try await source.body(for: item) }
                        }
                        // The slot counts against the host the body comes from; an inline body takes none.
                        guard let url = source.bodyURL(for: item) else { return await fetch() }
                        return await self.limiter.run(url: url, fetch)
                    }
                    return (item.infoCode, answer)
                }
            }
            var out: [InfoCode: Result<String?, SourceError>] = [:]
            for await (code, answer) in group { out[code] = answer }
            return out
        }
    }

    static func capture<T>(_ body: () async throws(SourceError) -> T) async -> Result<T, SourceError> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    /// The category of a name: configured, else already known to the store,
    /// else derived. Reusing the stored slug keeps ICU's transliterator (and
    /// the megabytes of tables it pages in) out of a daemon's steady state.
    func category(named name: String) -> (Category, String?) {
        if config.categories[name]?.slug == nil, let known = knownSlugs.withLock({ $0[name] }) {
            return (Category(name: name, slug: known), nil)
        }
        if config.categories[name]?.slug == nil, let stored = try? store.slug(ofCategoryNamed: name) {
            knownSlugs.withLock { $0[name] = stored }
            return (Category(name: name, slug: stored), nil)
        }
        return config.category(named: name)
    }

    /// A list that names one code twice keeps the first record.
    static func uniqueByCode(_ items: [UpstreamItem]) -> [UpstreamItem] {
        var seen = Set<InfoCode>()
        return items.filter { seen.insert($0.infoCode).inserted }
    }

    /// The upstream summary as plain text, without the `【title】` prefix the rolling list puts on it.
    static func summary(of item: UpstreamItem) -> String {
        guard var text = item.summary else { return "" }
        let prefix = "【\(item.title)】"
        if text.hasPrefix(prefix) { text.removeFirst(prefix.count) }
        return HTMLNormalizer.summarize(text)
    }

    /// The item's date, or now when it has none; a date in the future is clamped.
    private func published(_ item: UpstreamItem, source: SourceConfig, report: inout SourceReport) -> Date {
        let seen = now()
        guard let date = item.published else { return seen }
        if date.timeIntervalSince(seen) > Self.allowedClockSkew {
            report.warnings.append("source '\(source.name)': item \(item.infoCode) is dated in the future "
                + "(\(date)); using the time it was first seen")
            return seen
        }
        return date
    }

    // MARK: render

    /// Renders the feeds of `slugs` (and `all`), writing only files whose bytes change.
    /// With `jekyll:` configured the posts are written (and old ones archived) too.
    /// A complete render that succeeds is recorded, so a restart can skip it.
    public func render(_ slugs: Set<Slug>? = nil) -> FeedRenderer.Outcome {
        let before = slugs == nil ? try? store.renderState() : nil
        let outcome = renderer.render(slugs).adding(publishJekyllPosts())
        if let before, outcome.errors.isEmpty {
            try? store.markRendered(version: before.contentVersion, fingerprint: renderer.fingerprint)
        }
        return outcome
    }

    /// A complete render unless the output already shows this content with these
    /// settings (a daemon restarting in steady state: nothing to read, nothing to write).
    /// nil when skipped. Jekyll posts age into the archive, so with `jekyll:` it always renders.
    public func renderIfStale() -> FeedRenderer.Outcome? {
        if config.jekyll == nil, let state = try? store.renderState(),
           state.renderedVersion == state.contentVersion, state.renderedFingerprint == renderer.fingerprint,
           FileManager.default.fileExists(atPath: config.output + "/index.html") {
            return nil
        }
        return render(nil)
    }
}

import FeedConfig
import FeedFetch
import FeedModel
import FeedNormalize
import FeedSources
import FeedStore
import Foundation

/// One poll of one source, in named steps: read its state (by key), fetch the
/// list conditionally, take the new items (bodies fetched once, normalized),
/// record the result with the next due time in one transaction. Its cost does
/// not depend on how many other sources there are.
extension Pipeline {
    /// What one poll did: its report, the slugs whose feeds changed, and when
    /// the source is due next, as recorded in its state.
    public struct Polled: Sendable {
        public var report: SourceReport
        public var changedSlugs: Set<Slug>
        /// Of `changedSlugs`, those the store did not already tell the cluster of in the
        /// apply's transaction (a cluster node sends a notice for these after the poll).
        public var unannouncedSlugs: Set<Slug>
        public var nextPoll: Date?
        /// The delay `nextDelay` gave (nil when it gave none).
        public var delay: Duration?

        init(report: SourceReport, changedSlugs: Set<Slug>, unannounced: Set<Slug>? = nil, delay: Duration?, at now: Date) {
            self.report = report
            self.changedSlugs = changedSlugs
            unannouncedSlugs = unannounced ?? changedSlugs
            self.delay = delay
            nextPoll = delay.map { now + $0 }
        }
    }

    /// Polls one source and records the result. `nextDelay` says, from the
    /// report, how long until the source is due again; the due time is stored
    /// with the result in the same write (nil: none is stored).
    public func poll(_ source: SourceConfig,
                     nextDelay: @escaping @Sendable (SourceReport) -> Duration? = { _ in nil }) async -> Polled {
        let started = now()
        let start: PollStart
        do {
            start = try await store.pollStart(source: source.name, url: source.url)
        } catch {
            // Without its state the poll is not made, and nothing is written: a
            // failure to read must not reset the stored failure count.
            logger.error("\(source.name): not polled: \(error)")
            let report = SourceReport(name: source.name, status: .failed("\(error)"))
            return Polled(report: report, changedSlugs: [], delay: nextDelay(report), at: now())
        }
        let state = start.state ?? SourceState(name: source.name)
        let polled: Polled
        do {
            let conditional = start.validators.map { ConditionalHeaders(etag: $0.etag, lastModified: $0.lastModified) }
            polled = try await pollAndRecord(source, conditional: conditional, state: state, started: started, nextDelay: nextDelay)
        } catch {
            polled = await recordFailure(source, error, state: state, started: started, nextDelay: nextDelay)
        }
        for warning in polled.report.warnings { logger.warning("\(warning)") }
        return polled
    }

    private func pollAndRecord(_ source: SourceConfig, conditional: ConditionalHeaders?, state: SourceState, started: Date,
                               nextDelay: @Sendable (SourceReport) -> Duration?) async throws -> Polled {
        let upstream = makeSource(source)
        guard case .listed(let reading, let validators, let bytes) = try await fetchList(source, conditional: conditional,
                                                                                      from: upstream) else {
            let report = SourceReport(name: source.name, status: .notModified)
            let polled = Polled(report: report, changedSlugs: [], delay: nextDelay(report), at: now())
            var next = state.succeeded(.notModified, at: started)
            next.nextPoll = polled.nextPoll
            try await store.save(next)
            return polled
        }
        var report = SourceReport(name: source.name, status: .ok)
        report.bytes = bytes
        report.warnings = reading.warnings
        // Errors are what could not be taken: skipped records here, failed bodies in `take`.
        // The other warnings (a date guessed, a charset that did not fit) are only warnings.
        report.errors = reading.skipped
        let taken = try await take(reading.items, of: source, from: upstream, report: &report)
        do {
            let polled = try await record(taken, of: source, validators: validators, state: state, started: started,
                                          report: report, nextDelay: nextDelay)
            await releaseClaims(taken.claimed, of: source)
            return polled
        } catch {
            await releaseClaims(taken.claimed, of: source)
            throw error
        }
    }

    /// Step: the items taken, their stories and the source's state in one write.
    private func record(_ taken: Taken, of source: SourceConfig, validators: ConditionalHeaders, state: SourceState, started: Date,
                        report: SourceReport, nextDelay: @Sendable (SourceReport) -> Duration?) async throws -> Polled {
        var report = report
        var next = state.succeeded(.ok, at: started)
        next.itemsListed = report.listed
        let delay = nextDelay(report)
        let stamp = now()
        next.nextPoll = delay.map { stamp + $0 }
        // Validators are kept only when every new item was taken: otherwise the
        // next poll must get the list again (not a 304) to retry the missing bodies.
        let kept = taken.complete ? (source.url, validators.etag, validators.lastModified) : nil
        // Reprints join their story as they are stored, in the same write; `all/` changes when a story does.
        let result = try await store.apply(items: taken.items, source: next, validators: kept,
                                           stories: stories.request(for: taken.items), now: stamp)
        if let failure = result.storiesFailure {
            logger.error("\(source.name): stories not assigned (the items are stored; `feedd stories rebuild` assigns them): \(failure)")
        }
        report.new = result.new
        report.updated = result.updated
        report.unchanged = result.unchanged
        return Polled(report: report, changedSlugs: result.changedSlugs, unannounced: result.announced ? [] : nil,
                      delay: delay, at: stamp)
    }

    /// Step: the list, conditionally on the stored validators, within the fetch limits.
    private func fetchList(_ source: SourceConfig, conditional: ConditionalHeaders?, from upstream: any Source) async throws -> PollOutcome {
        return try await limiter.run(url: source.url) {
            await Self.capture { () async throws(SourceError) in try await upstream.poll(conditional: conditional) }
        }.get()
    }

    /// The items of one list ready to store, and whether every new one was taken.
    struct Taken: Sendable {
        var items: [IncomingItem] = []
        var complete = true
        /// Codes whose bodies this node claimed in the cluster (released once stored or failed).
        var claimed: [InfoCode] = []
    }

    /// Lets go of this poll's body claims: stored, or failed (another poll may try).
    private func releaseClaims(_ codes: [InfoCode], of source: SourceConfig) async {
        guard let cluster, !codes.isEmpty else { return }
        do { try await cluster.releaseBodies(codes) } catch {
            logger.error("\(source.name): \(codes.count) body claims not released (they run out on their own): \(error)")
        }
    }

    /// How long a body claim is this node's: the fetch's timeout and as long again, at least 10 s.
    var bodyClaimLease: Duration { max(config.poll.timeout * 2, .seconds(10)) }

    /// Cluster step: of the new codes, those this node won the claim of (the others are another
    /// node's to fetch: skipped this poll, so the next one finds them stored).
    private func claimedBodies(_ new: [UpstreamItem]) async throws -> Set<InfoCode>? {
        guard let cluster, !new.isEmpty else { return nil }
        return try await cluster.claimBodies(new.map(\.infoCode), for: bodyClaimLease)
    }

    /// Step: new items get their body (fetched once) normalized; known items
    /// are kept as listed (title and categories may change).
    private func take(_ listed: [UpstreamItem], of source: SourceConfig, from upstream: any Source,
                      report: inout SourceReport) async throws -> Taken {
        let items = Self.uniqueByCode(listed)
        report.listed = items.count
        let known = try await store.knownCodes(items.map(\.infoCode))
        var new = items.filter { !known.contains($0.infoCode) }
        var taken = Taken()
        let won = try await claimedBodies(new)
        if let won {
            taken.claimed = new.map(\.infoCode).filter { won.contains($0) }
            let others = new.count - taken.claimed.count
            if others > 0 {
                // Without the list's validators the next poll gets the list again and finds them stored.
                taken.complete = false
                logger.debug("\(source.name): \(others) new bodies are being fetched by another node")
            }
            new = new.filter { won.contains($0.infoCode) }
        }
        let fetched = await fetchBodies(new, from: upstream)
        for item in items {
            var body: IncomingItem.NormalizedBody?
            var summary = Self.summary(of: item)
            if !known.contains(item.infoCode) {
                if let won, !won.contains(item.infoCode) { continue } // another node's to fetch and store
                switch fetched[item.infoCode] {
                case .failure(let error)?:
                    report.warnings.append("\(error); item \(item.infoCode) will be tried again next poll")
                    report.errors += 1
                    taken.complete = false
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
            let categories = await categories(of: item, source: source, report: &report)
            taken.items.append(IncomingItem(infoCode: item.infoCode, title: item.title, summary: summary, body: body,
                                            link: item.link, published: published(item, source: source, report: &report),
                                            categories: categories))
        }
        return taken
    }

    private func categories(of item: UpstreamItem, source: SourceConfig, report: inout SourceReport) async -> [Category] {
        var out: [Category] = []
        for name in item.categoryNames {
            let (category, slugWarning) = await category(named: name)
            if let slugWarning { report.warnings.append("source '\(source.name)': \(slugWarning)") }
            out.append(category)
        }
        return out
    }

    /// Step, on failure: the failure is counted on top of the stored state and
    /// recorded with the next due time; a save that fails is logged.
    private func recordFailure(_ source: SourceConfig, _ error: any Error, state: SourceState, started: Date,
                               nextDelay: @Sendable (SourceReport) -> Duration?) async -> Polled {
        let message = "\(error)"
        var report = SourceReport(name: source.name, status: .failed(message))
        report.retryAfter = (error as? SourceError)?.retryAfter
        report.unreachableHost = (error as? SourceError)?.unreachableHost
        // An upstream out of reach is said once for all sources by the daemon (and in every refresh line).
        logger.log(level: report.unreachableHost == nil ? .error : .debug, "\(message)")
        let polled = Polled(report: report, changedSlugs: [], delay: nextDelay(report), at: now())
        var next = state
        next.lastPoll = started
        next.lastResult = .failed
        next.message = message
        next.consecutiveFailures += 1
        next.nextPoll = polled.nextPoll
        do {
            try await store.save(next)
        } catch {
            logger.error("\(source.name): the failed poll could not be recorded: \(error)")
        }
        return polled
    }

    /// Bodies of new items, within `poll.concurrency` and `poll.per_host`, one request per code.
    private func fetchBodies(_ items: [UpstreamItem], from source: any Source) async -> [InfoCode: Result<String?, SourceError>] {
        guard !items.isEmpty else { return [:] }
        return await withTaskGroup(of: (InfoCode, Result<String?, SourceError>).self) { group in
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
    func category(named name: String) async -> (Category, String?) {
        guard config.categories[name]?.slug == nil else { return config.category(named: name) }
        if let known = knownSlugs.withLock({ $0[name] }) { return (Category(name: name, slug: known), nil) }
        do {
            if let stored = try await store.slug(ofCategoryNamed: name) {
                knownSlugs.withLock { $0[name] = stored }
                return (Category(name: name, slug: stored), nil)
            }
        } catch {
            logger.warning("category '\(name)': stored slug unreadable, deriving it: \(error)")
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

    private func makeSource(_ source: SourceConfig) -> any Source {
        SourceFactory.make(source, client: client, dates: dates)
    }
}

extension SourceState {
    /// This state after a poll that succeeded at `time`: failures reset.
    func succeeded(_ result: PollResult, at time: Date) -> SourceState {
        var next = self
        next.lastPoll = time
        next.lastSuccess = time
        next.lastResult = result
        next.message = nil
        next.consecutiveFailures = 0
        if result == .notModified {
            next.itemsNew = 0
            next.itemsUpdated = 0
        }
        return next
    }
}

extension Date {
    static func + (date: Date, duration: Duration) -> Date { date.addingTimeInterval(duration.seconds) }
}

extension Duration {
    /// The duration in seconds, as a Double.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

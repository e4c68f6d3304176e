import FeedModel
import Foundation
import Logging

/// What the pipeline, the renderer, the daemon and the CLI need from a store,
/// whichever backend holds it: the embedded SQLite file (`SQLiteStore`, the
/// default) or a shared PostgreSQL database (`FeedStorePostgres`, issue 12).
/// Every operation is async: PostgreSQL answers over the network, and SQLite
/// calls are carried to a blocking pool so no cooperative thread waits on a
/// disk or a busy lock. Each operation keeps the meaning `FeedStore`'s
/// synchronous method of the same name documents.
public protocol Store: Sendable {
    /// Where the store is, for messages (a path, or a URL without its password).
    var location: String { get }
    /// Lets go of the store's connections (nothing to do for SQLite).
    func close() async
    /// Writes what the store holds in memory and has not written yet (SQLite:
    /// the source states polls recorded, `SQLiteStore.save`); before `close`.
    func flush() async throws(StoreError)

    // Identity and validators
    func knownCodes(_ codes: [InfoCode]) async throws(StoreError) -> Set<InfoCode>
    func validators(for url: String) async throws(StoreError) -> (etag: String?, lastModified: String?)?

    // Applying a poll: items, listings, source categories, validators and the source's state, whole or not at all.
    /// Stores a poll: its items, its listing, the source's state and validators,
    /// and the stories of `stories` (assigned after the items, in the same transaction).
    func apply(items: [IncomingItem], source: SourceState,
               validators: (url: String, etag: String?, lastModified: String?)?,
               stories: StoryRequest?, now: Date) async throws(StoreError) -> ApplyResult

    // Categories and feeds
    func slug(ofCategoryNamed name: String) async throws(StoreError) -> Slug?
    func sourcesBySlug() async throws(StoreError) -> [Slug: Set<String>]
    func categories() async throws(StoreError) -> [CategorySummary]
    func items(in slug: Slug, limit: Int) async throws(StoreError) -> [Item]
    func item(_ code: InfoCode) async throws(StoreError) -> Item?
    func itemCount() async throws(StoreError) -> Int
    func codes(publishedSince date: Date?) async throws(StoreError) -> [InfoCode]
    /// The stored items among `codes`, in the order of `codes`, each with its categories (one read, not one per code).
    func items(_ codes: [InfoCode]) async throws(StoreError) -> [Item]

    // Rules and topics: items page by page with the sources that listed them
    func itemPage(in slug: Slug, after cursor: FeedStore.PageCursor?, limit: Int) async throws(StoreError) -> FeedStore.ItemPage
    func listingSources(of codes: [InfoCode]) async throws(StoreError) -> [InfoCode: [String]]

    // Stories
    func assignStories(_ inputs: [StoryInput], window: TimeInterval, now: Date) async throws(StoreError) -> StoryAssignment
    func itemsWithoutStory(limit: Int) async throws(StoreError) -> [StorylessItem]
    func storyCounts() async throws(StoreError) -> (items: Int, stories: Int)
    func story(of code: InfoCode) async throws(StoreError) -> InfoCode?
    func storyEntries(limit: Int) async throws(StoreError) -> [StoryEntry]

    // Renormalizing
    func rawBodies(olderThan version: Int, all: Bool, after code: String, limit: Int) async throws(StoreError) -> [FeedStore.RawBody]
    func replaceBodies(_ bodies: [(code: InfoCode, html: String, outlet: String?, version: Int)])
        async throws(StoreError) -> (changed: Int, slugs: Set<Slug>)

    // Render state
    func renderState() async throws(StoreError) -> FeedStore.RenderState
    func markRendered(version: Int, fingerprint: String) async throws(StoreError)

    // Source states, by key
    func sourceState(named name: String) async throws(StoreError) -> SourceState?
    func pollStart(source name: String, url: String) async throws(StoreError) -> PollStart
    func sourceStates() async throws(StoreError) -> [SourceState]
    func save(_ state: SourceState) async throws(StoreError)

    /// Whether the store answers now, within a few seconds (for `/healthz`): throws the reason it does not.
    func ping() async throws(StoreError)
}

extension Store {
    /// PostgreSQL writes each call at once: nothing is held.
    public func flush() async throws(StoreError) {}

    /// A poll stored without stories.
    public func apply(items: [IncomingItem], source: SourceState,
                      validators: (url: String, etag: String?, lastModified: String?)?,
                      now: Date) async throws(StoreError) -> ApplyResult {
        try await apply(items: items, source: source, validators: validators, stories: nil, now: now)
    }
}

/// A stored item without a story, as `feedd stories rebuild` reads it.
public typealias StorylessItem = (infoCode: InfoCode, title: String, body: String, published: Date, namesItselfAsSource: Bool)

/// Runs blocking work off the cooperative pool (FeedPipeline's `BlockingPool` is the one).
public protocol BlockingRunner: Sendable {
    func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T
    /// Runs `job` on a pool thread without waiting for it.
    func submit(_ job: @escaping @Sendable () -> Void)
}

/// The SQLite backend behind `Store`: `FeedStore`'s calls made on a blocking
/// pool's thread, except a poll's state: read from memory once held, and
/// recorded there to be written a moment later (`PollStateMemory`).
public struct SQLiteStore: Store {
    public let store: FeedStore
    public let pool: any BlockingRunner
    /// Where a failed write of recorded source states is told (no caller waits for it).
    public let logger: Logger

    public init(_ store: FeedStore, pool: any BlockingRunner, logger: Logger = Logger(label: "feedd.store")) {
        self.store = store
        self.pool = pool
        self.logger = logger
    }

    public var location: String { store.path }

    public func close() async {}

    private func run<T: Sendable>(_ body: @escaping @Sendable (FeedStore) throws(StoreError) -> T) async throws(StoreError) -> T {
        let store = self.store
        return try await pool.run { () throws(StoreError) -> T in try body(store) }
    }

    public func knownCodes(_ codes: [InfoCode]) async throws(StoreError) -> Set<InfoCode> {
        try await run { s throws(StoreError) in try s.knownCodes(codes) }
    }

    public func validators(for url: String) async throws(StoreError) -> (etag: String?, lastModified: String?)? {
        try await run { s throws(StoreError) in try s.validators(for: url) }
    }

    public func apply(items: [IncomingItem], source: SourceState,
                      validators: (url: String, etag: String?, lastModified: String?)?,
                      stories: StoryRequest?, now: Date) async throws(StoreError) -> ApplyResult {
        try await run { s throws(StoreError) in
            try s.apply(items: items, source: source, validators: validators, stories: stories, now: now)
        }
    }

    public func slug(ofCategoryNamed name: String) async throws(StoreError) -> Slug? {
        try await run { s throws(StoreError) in try s.slug(ofCategoryNamed: name) }
    }

    public func sourcesBySlug() async throws(StoreError) -> [Slug: Set<String>] {
        try await run { s throws(StoreError) in try s.sourcesBySlug() }
    }

    public func categories() async throws(StoreError) -> [CategorySummary] {
        try await run { s throws(StoreError) in try s.categories() }
    }

    public func items(in slug: Slug, limit: Int) async throws(StoreError) -> [Item] {
        try await run { s throws(StoreError) in try s.items(in: slug, limit: limit) }
    }

    public func item(_ code: InfoCode) async throws(StoreError) -> Item? {
        try await run { s throws(StoreError) in try s.item(code) }
    }

    public func itemCount() async throws(StoreError) -> Int {
        try await run { s throws(StoreError) in try s.itemCount() }
    }

    public func codes(publishedSince date: Date?) async throws(StoreError) -> [InfoCode] {
        try await run { s throws(StoreError) in try s.codes(publishedSince: date) }
    }

    public func renderState() async throws(StoreError) -> FeedStore.RenderState {
        try await run { s throws(StoreError) in try s.renderState() }
    }

    public func markRendered(version: Int, fingerprint: String) async throws(StoreError) {
        try await run { s throws(StoreError) in try s.markRendered(version: version, fingerprint: fingerprint) }
    }

    public func sourceState(named name: String) async throws(StoreError) -> SourceState? {
        try await run { s throws(StoreError) in try s.sourceState(named: name) }
    }

    public func pollStart(source name: String, url: String) async throws(StoreError) -> PollStart {
        if let held = store.heldPollStart(source: name, url: url) { return held } // read before: no trip to the pool
        return try await run { s throws(StoreError) in try s.pollStart(source: name, url: url) }
    }

    public func sourceStates() async throws(StoreError) -> [SourceState] {
        try await run { s throws(StoreError) in try s.sourceStates() }
    }

    /// How long recorded states wait to be written together: the polls of
    /// that time share one transaction and one trip to the pool.
    public static let recordedStatesDelay: Duration = .seconds(1)

    /// Records the state in memory (`FeedStore.record`) and writes it on the
    /// pool at most `recordedStatesDelay` later, with the others recorded
    /// meanwhile: a 304 poll does not wait for the disk, nor wake a thread to
    /// write. A write that fails is logged naming its sources, and its states
    /// are written with the next; a crash loses at most that delay of poll
    /// records, never an item or a validator (`apply` writes those at once).
    public func save(_ state: SourceState) async throws(StoreError) {
        let (store, pool, logger) = (self.store, self.pool, self.logger)
        guard store.record(state) else { return }
        let delay = DispatchTimeInterval.milliseconds(Int(Self.recordedStatesDelay / .milliseconds(1)))
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) {
            pool.submit {
                do { try store.writeRecorded() } catch { logger.error("\(error)") }
            }
        }
    }

    /// Writes the recorded states now (`feedd refresh` before it exits, the daemon as it stops).
    public func flush() async throws(StoreError) {
        try await run { s throws(StoreError) in try s.writeRecordedNow() }
    }

    public func items(_ codes: [InfoCode]) async throws(StoreError) -> [Item] {
        try await run { s throws(StoreError) in try s.items(codes) }
    }

    public func itemPage(in slug: Slug, after cursor: FeedStore.PageCursor?, limit: Int) async throws(StoreError) -> FeedStore.ItemPage {
        try await run { s throws(StoreError) in try s.itemPage(in: slug, after: cursor, limit: limit) }
    }

    public func listingSources(of codes: [InfoCode]) async throws(StoreError) -> [InfoCode: [String]] {
        try await run { s throws(StoreError) in try s.listingSources(of: codes) }
    }

    public func assignStories(_ inputs: [StoryInput], window: TimeInterval, now: Date) async throws(StoreError) -> StoryAssignment {
        try await run { s throws(StoreError) in try s.assignStories(inputs, window: window, now: now) }
    }

    public func itemsWithoutStory(limit: Int) async throws(StoreError) -> [StorylessItem] {
        try await run { s throws(StoreError) in try s.itemsWithoutStory(limit: limit) }
    }

    public func storyCounts() async throws(StoreError) -> (items: Int, stories: Int) {
        try await run { s throws(StoreError) in try s.storyCounts() }
    }

    public func story(of code: InfoCode) async throws(StoreError) -> InfoCode? {
        try await run { s throws(StoreError) in try s.story(of: code) }
    }

    public func storyEntries(limit: Int) async throws(StoreError) -> [StoryEntry] {
        try await run { s throws(StoreError) in try s.storyEntries(limit: limit) }
    }

    public func rawBodies(olderThan version: Int, all: Bool, after code: String, limit: Int) async throws(StoreError) -> [FeedStore.RawBody] {
        try await run { s throws(StoreError) in try s.rawBodies(olderThan: version, all: all, after: code, limit: limit) }
    }

    public func replaceBodies(_ bodies: [(code: InfoCode, html: String, outlet: String?, version: Int)])
        async throws(StoreError) -> (changed: Int, slugs: Set<Slug>) {
        try await run { s throws(StoreError) in try s.replaceBodies(bodies) }
    }

    public func ping() async throws(StoreError) {
        try await run { s throws(StoreError) in _ = try s.renderState() }
    }
}

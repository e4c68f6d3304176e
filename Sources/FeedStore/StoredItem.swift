import FeedModel
import Foundation

/// An item ready to be stored: normalized body, categories resolved.
public struct IncomingItem: Sendable {
    public var infoCode: InfoCode
    public var title: String
    public var summary: String
    /// nil for a known item whose body was not fetched again.
    public var body: NormalizedBody?
    public var link: String?
    public var published: Date
    public var categories: [Category]

    public struct NormalizedBody: Sendable {
        public var html: String
        public var raw: String
        public var outlet: String?
        public var normalizerVersion: Int

        public init(html: String, raw: String, outlet: String?, normalizerVersion: Int) {
            self.html = html
            self.raw = raw
            self.outlet = outlet
            self.normalizerVersion = normalizerVersion
        }
    }

    public init(infoCode: InfoCode, title: String, summary: String, body: NormalizedBody?,
                link: String?, published: Date, categories: [Category]) {
        self.infoCode = infoCode
        self.title = title
        self.summary = summary
        self.body = body
        self.link = link
        self.published = published
        self.categories = categories
    }
}

/// What applying one poll changed.
public struct ApplyResult: Sendable, Equatable {
    public var new = 0
    public var updated = 0
    public var unchanged = 0
    /// Slugs whose feeds must be rendered again (`all` included when anything changed).
    public var changedSlugs: Set<Slug> = []
    /// The store told every node of the cluster of `changedSlugs` in the apply's own
    /// transaction (a cluster's PostgreSQL store): no notice needs sending after it.
    public var announced = false
    /// The stories assigned in the same transaction (`apply(…, stories:)`).
    public var stories = StoryAssignment()
    /// Why they could not be: the items are stored all the same, without a
    /// story (`feedd stories rebuild` assigns them later).
    public var storiesFailure: String?

    public init() {}
}

/// How the last poll of a source ended. Stored as its raw value (the words
/// `feedd status` prints), so databases written before the enum read the same.
public enum PollResult: String, Sendable, Equatable, CaseIterable {
    case ok
    /// `304`: the list did not change.
    case notModified = "not modified"
    case failed
}

/// The last poll of a source, for `feedd status` and backoff.
public struct SourceState: Sendable, Equatable {
    public var name: String
    public var lastPoll: Date?
    public var lastSuccess: Date?
    public var lastResult: PollResult?
    public var message: String?
    public var consecutiveFailures: Int
    public var nextPoll: Date?
    public var itemsListed: Int
    public var itemsNew: Int
    public var itemsUpdated: Int

    public init(name: String, lastPoll: Date? = nil, lastSuccess: Date? = nil, lastResult: PollResult? = nil,
                message: String? = nil, consecutiveFailures: Int = 0, nextPoll: Date? = nil,
                itemsListed: Int = 0, itemsNew: Int = 0, itemsUpdated: Int = 0) {
        self.name = name
        self.lastPoll = lastPoll
        self.lastSuccess = lastSuccess
        self.lastResult = lastResult
        self.message = message
        self.consecutiveFailures = consecutiveFailures
        self.nextPoll = nextPoll
        self.itemsListed = itemsListed
        self.itemsNew = itemsNew
        self.itemsUpdated = itemsUpdated
    }
}

/// A category with what its index entry shows.
public struct CategorySummary: Sendable, Equatable {
    public var category: Category
    public var itemCount: Int
    public var newest: Date?
}

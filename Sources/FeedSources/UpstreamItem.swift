import FeedFetch
import FeedModel
import Foundation

/// One record as a source lists it, before bodies are fetched and normalized.
public struct UpstreamItem: Sendable, Equatable {
    public var infoCode: InfoCode
    public var title: String
    /// nil when the record has no date or an unreadable one.
    public var published: Date?
    /// The category names the record belongs to (新华财经); at least one.
    public var categoryNames: [String]
    public var summary: String?
    public var link: String?
    /// The body when the list itself carries it.
    public var inlineBody: String?

    public init(infoCode: InfoCode, title: String, published: Date?, categoryNames: [String],
                summary: String? = nil, link: String? = nil, inlineBody: String? = nil) {
        self.infoCode = infoCode
        self.title = title
        self.published = published
        self.categoryNames = categoryNames
        self.summary = summary
        self.link = link
        self.inlineBody = inlineBody
    }
}

/// The result of polling a source's list once.
public enum PollOutcome: Sendable {
    /// `304`: nothing new, nothing parsed.
    case notModified
    /// The list was read; `warnings` name records that were skipped and why.
    case listed(items: [UpstreamItem], validators: ConditionalHeaders, warnings: [String], bytes: Int)
}


import FeedFetch
import FeedModel
import Foundation

/// One record as a source lists it, before bodies are fetched and normalized.
public struct UpstreamItem: Sendable, Equatable {
    public var infoCode: InfoCode
    public var title: String
    /// nil when the record has no date or an unreadable one.
    public var published: Date?
    /// The date as upstream wrote it (what `published` was read from), for `feedd preview`.
    public var dateText: String?
    /// The category names the record belongs to (新华财经); at least one.
    public var categoryNames: [String]
    public var summary: String?
    public var link: String?
    /// The body when the list itself carries it.
    public var inlineBody: String?

    public init(infoCode: InfoCode, title: String, published: Date?, categoryNames: [String],
                summary: String? = nil, link: String? = nil, inlineBody: String? = nil, dateText: String? = nil) {
        self.infoCode = infoCode
        self.title = title
        self.published = published
        self.dateText = dateText
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
    /// The list was read.
    case listed(ListReading, validators: ConditionalHeaders, bytes: Int)
}

/// What a source made of one list: its items, and what it had to say.
public struct ListReading: Sendable {
    public var items: [UpstreamItem] = []
    /// How many records were skipped (each has its warning): the list's errors.
    public private(set) var skipped = 0
    private var notes: [String] = []
    private var unreadableDates: UnreadableDates

    init(source: String) { unreadableDates = UnreadableDates(source: source) }

    /// Records skipped and why, and what was guessed (a charset that did not
    /// fit; unreadable dates, once for the list), each naming the source.
    public var warnings: [String] { notes + (unreadableDates.warning.map { [$0] } ?? []) }

    mutating func warn(_ warning: String) { notes.append(warning) }

    /// Notes a record that could not be taken.
    mutating func skip(_ warning: String) {
        notes.append(warning)
        skipped += 1
    }

    /// The instant `text` names; nil when there is no date or it cannot be
    /// read (the item gets its first-seen time, and the list one warning).
    mutating func date(_ text: String?, parser: DateParser) -> Date? {
        guard let text, !text.trimmed.isEmpty else { return nil }
        let date = parser.parse(text)
        if date == nil { unreadableDates.record(text) }
        return date
    }
}


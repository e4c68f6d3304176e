/// Counts the items of one poll whose date could not be read, so the source
/// warns once (not once per item) that they get their first-seen time.
struct UnreadableDates {
    let source: String
    private(set) var count = 0
    private var example: String?

    init(source: String) { self.source = source }

    mutating func record(_ text: String) {
        count += 1
        if example == nil { example = text }
    }

    /// One warning for the poll, nil when every date was read.
    var warning: String? {
        guard count > 0, let example else { return nil }
        let items = count == 1 ? "1 item has an unreadable date" : "\(count) items have unreadable dates"
        return "source '\(source)': \(items) (e.g. '\(example.prefix(60))'); using the time first seen"
    }
}

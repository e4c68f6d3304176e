import FeedRules
import FeedModel
import Foundation

/// Decides the info code of an item from a feed or a page, in this order:
///
/// 1. the configured `id` regex: its first match in the guid (Atom id, JSON
///    Feed id), else in the link; the first capture group when it has one;
/// 2. the guid / Atom id / JSON Feed id as written;
/// 3. the link without tracking parameters (`TrackingParameters`);
/// 4. a hash of the title and the date text (`h-` and 16 hex digits).
///
/// A feed item whose code is a JSON API item's code is that item: the store
/// keys everything by info code.
struct ItemIdentity {
    /// Matched by the rules' linear-time engine: it runs on upstream text.
    let pattern: Pattern?

    init(pattern: Pattern?) {
        self.pattern = pattern
    }

    /// Which rule gave the code.
    enum Origin: Equatable {
        case pattern, id, link, hash
    }

    /// The code and its origin; `patternMissed` when a pattern is configured
    /// and matched nothing, so a fallback was used.
    func code(id: String?, link: String?, title: String, date: String?) -> (InfoCode, Origin, patternMissed: Bool) {
        if let pattern {
            for candidate in [id, link].compactMap({ $0 }) {
                if let match = Self.firstMatch(pattern, in: candidate), let code = InfoCode(match) { return (code, .pattern, false) }
            }
        }
        let (code, origin) = fallback(id: id, link: link, title: title, date: date)
        return (code, origin, pattern != nil)
    }

    private func fallback(id: String?, link: String?, title: String, date: String?) -> (InfoCode, Origin) {
        if let id, let code = InfoCode(id) { return (code, .id) }
        if let link, let code = InfoCode(LinkCleaner.clean(link)) { return (code, .link) }
        return (Self.hashCode(title: title, date: date), .hash)
    }

    /// The first group of the first match, else the whole match.
    static func firstMatch(_ pattern: Pattern, in text: String) -> String? {
        pattern.firstMatchText(in: text, group: pattern.groupCount > 0 ? 1 : 0)
    }

    /// FNV-1a 64 of `title \n date`: stable across runs and machines.
    static func hashCode(title: String, date: String?) -> InfoCode {
        let text = "h-" + FNV1a.hex16(FNV1a.hash(title + "\n" + (date ?? "")))
        // InfoCode refuses only empty or over-long text; 18 ASCII characters are neither.
        guard let code = InfoCode(text) else { preconditionFailure("'\(text)' is a valid info code") }
        return code
    }
}

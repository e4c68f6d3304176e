/// The two content models every output field has. A writer takes one of
/// these, never a bare `String`, and encodes it for where it goes; so a
/// plain-text summary can no longer reach an HTML-bearing field (RSS
/// `<description>`, Atom `content type="html"`, a page, a post body) as markup.
///
/// `PlainText` is text a reader shows character for character: a title, an
/// author, a category name, a summary. `HTMLFragment` is markup, and comes
/// from two places only: the normalizer (its allowlisted, well-formed output,
/// kept in the store as `Item.body`) and `HTMLFragment(escaping:)`, which
/// turns plain text into markup that shows exactly that text.
public struct PlainText: Hashable, Sendable, CustomStringConvertible {
    public let string: String

    public init(_ string: String) { self.string = string }

    public var isEmpty: Bool { string.isEmpty }
    public var description: String { string }
}

/// A fragment of sanitized HTML (see `PlainText`).
public struct HTMLFragment: Hashable, Sendable {
    public let html: String

    /// Markup the normalizer wrote (`HTMLNormalizer.normalize(…).html`, or
    /// what the store kept of it). Nothing else may call this.
    public init(normalized html: String) { self.html = html }

    /// Markup that shows `text` as it is: `&`, `<`, `>`, `"` and `'` become
    /// character references, so no tag, entity or attribute can start inside it.
    public init(escaping text: PlainText) {
        let s = text.string
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            html = s
            return
        }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        html = out
    }

    public var isEmpty: Bool { html.isEmpty }
}

/// The content model of each of an item's fields, for the writers.
extension Item {
    public var titleText: PlainText { PlainText(title) }
    public var summaryText: PlainText { PlainText(summary) }
    public var outletText: PlainText? { outlet.map(PlainText.init) }
    /// The normalized body (empty when the item has none).
    public var bodyHTML: HTMLFragment { HTMLFragment(normalized: body) }
    /// What an HTML-bearing content field carries: the body, else the summary
    /// as text (escaped: a summary is plain text, whatever characters it holds).
    public var contentHTML: HTMLFragment {
        body.isEmpty ? HTMLFragment(escaping: summaryText) : bodyHTML
    }
}

extension Category {
    public var nameText: PlainText { PlainText(name) }
}

import FeedModel
import Foundation

/// Where the posts point: the site's root for the back links, the share link
/// template, and the zone post dates and file names are written in.
public struct JekyllSite: Sendable {
    /// The site's root, ending in `/`: `//finews.withounder.com/`.
    public var url: String
    /// The share link under each post; `{id}` stands for the info code.
    public var shareLink: String
    /// `+0800` and the file name's day for Asia/Shanghai.
    public var timezone: TimeZone

    public init(url: String, shareLink: String, timezone: TimeZone) {
        self.url = url.hasSuffix("/") ? url : url + "/"
        self.shareLink = shareLink
        self.timezone = timezone
    }

    /// The share link of one article. The code is percent-encoded (anything
    /// but letters, digits and `-._~`): it comes from upstream, and the link
    /// is written inside `<…>`, where a `>` or a space would end it.
    public func shareLink(for code: InfoCode) -> String {
        shareLink.replacingOccurrences(of: "{id}", with: Self.percentEncoded(code.rawValue))
    }

    static func percentEncoded(_ s: String) -> String {
        let unreserved = { (b: UInt8) in
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
                || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E
        }
        guard !s.utf8.allSatisfy(unreserved) else { return s }
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for b in s.utf8 {
            if unreserved(b) { out.append(b) } else { out += [0x25, hex[Int(b >> 4)], hex[Int(b & 15)]] }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// One article as a post of the Jekyll site the old system fed, in exactly its
/// format (`_posts/2021-12-29-NW202112292229992448.md`):
///
/// ```
/// ---
/// layout: post
/// title: "截至11月底工行制造业贷款余额超过2万亿元 …"
/// date: 2021-12-29 15:06:00 +0800
/// categories: xinhuacaijing
/// tags: 新华财经新闻
/// ---
/// <p>…</p>
///
/// <http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202112292229992448>
///
/// [返回新华财经新闻](//finews.withounder.com/category/xinhuacaijing.html)｜[返回首页](//finews.withounder.com/)
/// ```
///
/// with no newline after the back links, as the old posts end.
public struct JekyllPost: Sendable, Equatable {
    public var infoCode: InfoCode
    public var title: String
    public var date: Date
    /// The one category the post is filed under: `categories:` is its slug, `tags:` and the back link use its name.
    public var category: Category
    /// The body: the normalizer's HTML, or the summary escaped as HTML.
    public var body: HTMLFragment

    public init(infoCode: InfoCode, title: String, date: Date, category: Category, body: HTMLFragment) {
        self.infoCode = infoCode
        self.title = title
        self.date = date
        self.category = category
        self.body = body
    }

    /// The post of `item`, or nil when the item has no category to file it under.
    /// See `category(for:listCategories:)` for which category it gets.
    public init?(item: Item, listCategories: Set<String>) {
        guard let category = Self.category(for: item, listCategories: listCategories) else { return nil }
        self.init(infoCode: item.infoCode, title: item.title, date: item.published, category: category,
                  body: item.body.isEmpty ? Self.paragraph(item.summaryText) : item.bodyHTML)
    }

    /// A post has one category (the old site filed each article under its
    /// outlet), an item may have several. The pick, in order:
    /// 1. the category named like the item's outlet (新华财经 for an article
    ///    whose 来源 is 新华财经);
    /// 2. else the first, by slug, that is not a list category — one a source
    ///    gives everything it lists (the rolling list's 东财滚动新闻 says where
    ///    an article was listed, not who wrote it);
    /// 3. else the first by slug.
    /// Slug order makes the pick stable however the categories were stored.
    public static func category(for item: Item, listCategories: Set<String>) -> Category? {
        let candidates = item.categories.filter { $0 != .all }.sorted { $0.slug < $1.slug }
        if let outlet = item.outlet, let named = candidates.first(where: { $0.name == outlet }) { return named }
        return candidates.first { !listCategories.contains($0.name) } ?? candidates.first
    }

    /// `tags:` and the back link's text: the category's name and 新闻 (新华财经新闻),
    /// without doubling a name that already ends in 新闻 (东财滚动新闻).
    public var tag: String {
        category.name.hasSuffix(Self.newsSuffix) ? category.name : category.name + Self.newsSuffix
    }

    public static let newsSuffix = "新闻"

    /// `2021-12-29-NW202112292229992448.md`: the post's day in the site's zone and its info code.
    public func fileName(in zone: TimeZone) -> String {
        "\(FeedDates.day(date, in: zone))-\(infoCode.rawValue).md"
    }

    /// The post's text, byte for byte the old format.
    ///
    /// Content models: `title` and `tags` are plain text in YAML (a layout
    /// prints them; Jekyll's convention is `{{ page.title | escape }}`), the
    /// body is HTML, and the back link's text is Markdown that kramdown turns
    /// into HTML, so the tag goes there escaped for both (`markdownText`).
    public func render(for site: JekyllSite) -> String {
        let body = self.body.html.trimmingCharacters(in: .whitespacesAndNewlines)
        return """
            ---
            layout: post
            title: \(Self.yamlQuoted(title))
            date: \(FeedDates.jekyll(date, in: site.timezone))
            categories: \(category.slug.rawValue)
            tags: \(Self.yamlQuoted(tag, onlyIfNeeded: true))
            ---
            \(body)

            <\(site.shareLink(for: infoCode))>

            [返回\(Self.markdownText(tag))](\(site.url)category/\(category.slug.rawValue).html)｜[返回首页](\(site.url))
            """
    }

    /// A summary standing in for a missing body: escaped as HTML and put in
    /// a `<p>`, an HTML block, whose content kramdown leaves alone. As a bare
    /// line it would be read as Markdown, and `[x](javascript:…)` in upstream
    /// text would become a live link.
    static func paragraph(_ text: PlainText) -> HTMLFragment {
        text.isEmpty ? HTMLFragment(escaping: text) : HTMLFragment(normalized: "<p>" + HTMLFragment(escaping: text).html + "</p>")
    }

    /// Plain text as Markdown link text that shows exactly it: HTML-escaped
    /// (kramdown passes inline HTML and entities through), then Markdown's
    /// punctuation backslash-escaped, so no tag, link or emphasis can start.
    /// A category name is upstream text (an outlet's name), so it may hold anything.
    static func markdownText(_ text: String) -> String {
        let html = HTMLFragment(escaping: PlainText(text)).html
        guard html.unicodeScalars.contains(where: { markdownPunctuation.contains($0) || $0 == "\n" || $0 == "\r" })
        else { return html }
        var out = ""
        for scalar in html.unicodeScalars {
            if markdownPunctuation.contains(scalar) { out += "\\" }
            // A line break would end the link.
            out.unicodeScalars.append(scalar == "\n" || scalar == "\r" ? " " : scalar)
        }
        return out
    }

    private static let markdownPunctuation: Set<Unicode.Scalar> = ["\\", "`", "*", "_", "[", "]", "(", ")", "!", "<", ">", "|", "~"]

    /// A YAML double-quoted scalar that YAML reads back as exactly `text`
    /// (YAML 1.1 §5.7 escapes): the old script wrote titles raw inside `"…"`,
    /// so one with `"` or `\` broke the page. The one exception: U+FEFF is dropped.
    ///
    /// With `onlyIfNeeded`, text that YAML reads as a plain string unchanged
    /// (letters, digits, CJK; no indicator, no `: ` or ` #`) is left bare, as
    /// the old posts' tags are.
    public static func yamlQuoted(_ text: String, onlyIfNeeded: Bool = false) -> String {
        if onlyIfNeeded, isPlainSafe(text) { return text }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            // Line breaks in YAML 1.1 (NEL, LS, PS) would be folded into spaces if written raw.
            case "\u{85}": out += "\\N"
            case "\u{2028}": out += "\\L"
            case "\u{2029}": out += "\\P"
            // A byte order mark is invisible, and YAML readers disagree on it (Yams drops a leading one).
            case "\u{FEFF}": continue
            default:
                // Other C0/C1 controls and DEL are not printable: YAML refuses them raw.
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Letters and digits only (any script): nothing YAML could read as
    /// another type, an indicator, or a comment.
    private static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil }
            && !["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(text.lowercased())
    }
}

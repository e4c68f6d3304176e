/// The sanitizer's policy, as data: which elements survive, which attributes
/// each may keep, which are removed together with everything inside them.
///
/// Roughly what Miniflux's sanitizer allows, minus media, MathML and SVG:
///
/// | kept elements | attributes written |
/// |---|---|
/// | `p div h1…h6 blockquote pre figure figcaption` | – |
/// | `ul dl li dt dd`, `ol` | `ol`: `start` |
/// | `table caption thead tbody tfoot tr` | – |
/// | `td th` | `colspan rowspan` |
/// | `a` | `href` (http, https, mailto) `title`, plus `rel="noopener noreferrer"` |
/// | `img` | `src` (http, https) `alt title width height` |
/// | `strong b em i u s span sup sub code kbd abbr cite q small mark del ins time` | `abbr`: `title`; `del ins time`: `datetime` |
/// | `br hr` | – |
///
/// Removed with their content: `script style noscript template iframe object
/// embed applet param form input button select textarea option optgroup datalist
/// meta link base head title svg math frame frameset noembed noframes audio
/// video canvas`. Every other element is unwrapped: its children stay, the
/// tag goes. Every attribute not listed above goes, which covers `on*`,
/// `style`, `srcdoc`, `formaction`, `class`, `id`, `target` and the rest.
///
/// Element-specific rules live in `Sanitizer`: an `a` without a safe `href`
/// is unwrapped; an `img` takes its address from `data-src`,
/// `data-original`, `data-lazy-src`, `src`, then the first `srcset`
/// candidate (`srcset` itself is not kept), and is dropped when none is a
/// usable http(s) URL or when it is 1×1; `width`/`height`/`colspan`/
/// `rowspan`/`start` are kept only as plain integers.
enum Allowlist {
    static let rules: [ElementRule] = [
        // Text blocks. The order matters only in that kept elements come first
        // (their ids index a 64-bit nesting mask, see NestingRules).
        .block("p"), .block("div"),
        .block("h1"), .block("h2"), .block("h3"), .block("h4"), .block("h5"), .block("h6"),
        .block("blockquote"), .block("pre", extra: .preformatted), .block("figure"), .block("figcaption"),
        // Lists.
        .block("ul"), .block("ol", attributes: [.start]), .block("li"),
        .block("dl"), .block("dt"), .block("dd"),
        // Tables: rows and cells stay even when empty so the grid keeps its shape.
        .block("table"), .block("caption"),
        .block("thead", extra: .keepWhenEmpty), .block("tbody", extra: .keepWhenEmpty),
        .block("tfoot", extra: .keepWhenEmpty), .block("tr", extra: .keepWhenEmpty),
        .cell("td"), .cell("th"),
        // Inline.
        .inline("a", attributes: [.href, .title]),
        .inline("strong"), .inline("b"), .inline("em"), .inline("i"), .inline("u"), .inline("s"),
        .inline("span"), .inline("sup"), .inline("sub"), .inline("code"), .inline("kbd"),
        .inline("abbr", attributes: [.title]), .inline("cite"), .inline("q"), .inline("small"),
        .inline("mark"), .inline("del", attributes: [.datetime]), .inline("ins", attributes: [.datetime]),
        .inline("time", attributes: [.datetime]),
        // Void.
        .void("br"), .void("hr", extra: .block),
        .void("img", attributes: [.src, .alt, .title, .width, .height]),

        // Removed with everything inside: active content, forms, document-level
        // elements, foreign content (SVG/MathML carry their own script and
        // event attributes), and media whose fallback text is noise in a feed.
        .drop("script"), .drop("style"), .drop("noscript"), .drop("template"),
        .drop("iframe"), .drop("object"), .drop("embed"), .drop("applet"), .drop("param"),
        .drop("form"), .drop("input"), .drop("button"), .drop("select"), .drop("textarea"),
        .drop("option"), .drop("optgroup"), .drop("datalist"),
        .drop("meta"), .drop("link"), .drop("base"), .drop("head"), .drop("title"),
        .drop("svg"), .drop("math"), .drop("frame"), .drop("frameset"),
        .drop("noembed"), .drop("noframes"), .drop("audio"), .drop("video"), .drop("canvas"),

        // Unwrapped elements whose edges separate words in a browser; their
        // edges read as a space so "<section>a</section><section>b</section>"
        // does not become "ab". Unknown elements (font, center's inline
        // cousins, custom tags) are unwrapped without that.
        .unwrapBlock("html"), .unwrapBlock("body"),
        .unwrapBlock("section"), .unwrapBlock("article"), .unwrapBlock("header"), .unwrapBlock("footer"),
        .unwrapBlock("nav"), .unwrapBlock("aside"), .unwrapBlock("main"), .unwrapBlock("center"),
        .unwrapBlock("address"), .unwrapBlock("details"), .unwrapBlock("summary"), .unwrapBlock("hgroup"),
        .unwrapBlock("fieldset"), .unwrapBlock("legend"), .unwrapBlock("menu"), .unwrapBlock("dir"),
        .unwrapBlock("listing"), .unwrapBlock("xmp"), .unwrapBlock("plaintext"), .unwrapBlock("dialog"),
    ]

    /// The compiled form of `rules` the tree walk reads.
    static let table = ElementTable(rules)
}

/// Attributes the sanitizer reads. An element writes only those its rule
/// lists; `class` (for the outlet line) and the lazy-image attributes are read
/// and never written.
enum AttributeName: Int, CaseIterable, Sendable {
    case href, src, title, alt, width, height, colspan, rowspan, start, datetime
    case dataSrc, dataOriginal, dataLazySrc, srcset, `class`

    var name: String {
        switch self {
        case .dataSrc: "data-src"
        case .dataOriginal: "data-original"
        case .dataLazySrc: "data-lazy-src"
        case .class: "class"
        default: "\(self)"
        }
    }

    var bit: UInt32 { 1 << UInt32(rawValue) }

    static let table = NameTable(allCases.map(\.name))

}

/// One row of the allowlist.
struct ElementRule: Sendable {
    enum Action: UInt8, Sendable {
        /// Written out with its allowed attributes.
        case keep
        /// Tag dropped, children kept.
        case unwrap
        /// Removed with all its content.
        case drop
    }

    struct Flags: OptionSet, Sendable {
        let rawValue: UInt8
        /// A block boundary: whitespace next to it is insignificant.
        static let block = Flags(rawValue: 1 << 0)
        /// Written as `<name/>`, never has content.
        static let void = Flags(rawValue: 1 << 1)
        /// Kept even with no content (table structure).
        static let keepWhenEmpty = Flags(rawValue: 1 << 2)
        /// Whitespace inside is content.
        static let preformatted = Flags(rawValue: 1 << 3)
        /// Followed by a newline in the output (see `Serializer`).
        static let newlineAfter = Flags(rawValue: 1 << 4)
        /// Unwrapped, but its edges count as whitespace.
        static let softBoundary = Flags(rawValue: 1 << 5)
    }

    let name: String
    let action: Action
    let flags: Flags
    let attributes: [AttributeName]

    static func block(_ name: String, attributes: [AttributeName] = [], extra: Flags = []) -> ElementRule {
        ElementRule(name: name, action: .keep, flags: [.block, .newlineAfter, extra], attributes: attributes)
    }
    static func cell(_ name: String) -> ElementRule {
        ElementRule(name: name, action: .keep, flags: [.block, .keepWhenEmpty], attributes: [.colspan, .rowspan])
    }
    static func inline(_ name: String, attributes: [AttributeName] = []) -> ElementRule {
        ElementRule(name: name, action: .keep, flags: [], attributes: attributes)
    }
    static func void(_ name: String, attributes: [AttributeName] = [], extra: Flags = []) -> ElementRule {
        let flags: Flags = extra.contains(.block) ? [.void, .block, .newlineAfter] : [.void]
        return ElementRule(name: name, action: .keep, flags: flags, attributes: attributes)
    }
    static func drop(_ name: String) -> ElementRule {
        ElementRule(name: name, action: .drop, flags: [], attributes: [])
    }
    static func unwrapBlock(_ name: String) -> ElementRule {
        ElementRule(name: name, action: .unwrap, flags: [.softBoundary], attributes: [])
    }
}

/// `Allowlist.rules` laid out in flat arrays indexed by element id (0 is
/// "unknown element": unwrapped), so the tree walk never touches a `String`.
struct ElementTable: Sendable {
    let names: NameTable
    let actions: [ElementRule.Action]
    let flags: [ElementRule.Flags]
    /// Attributes written, in output order.
    let attributes: [[AttributeName]]
    /// Attributes read: written ones, `class` on `p`, lazy sources on `img`.
    let readMask: [UInt32]
    /// All names back to back, for writing tags.
    let nameBytes: [UInt8]
    let nameStart: [Int]
    let nameLength: [Int]
    /// `closes[x]` has bit `e` set when opening element `x` makes libxml2
    /// close an open element `e` (see NestingRules).
    let closes: [UInt64]

    let p: UInt8
    let a: UInt8
    let img: UInt8
    let br: UInt8
    let tr: UInt8
    /// `tableParents[x]` has bit `e` set when `x` may stand only directly in
    /// element `e` (`td` in `tr`, `tr` in `table`/`thead`/`tbody`/`tfoot`, …);
    /// 0 when `x` may stand anywhere.
    let tableParents: [UInt64]
    /// The elements a row may stand in: a cell there gets the row it lacks.
    let rowGroups: UInt64

    init(_ rules: [ElementRule]) {
        names = NameTable(rules.map(\.name))
        actions = [.unwrap] + rules.map(\.action)
        flags = [[]] + rules.map(\.flags)
        attributes = [[]] + rules.map(\.attributes)
        var bytes: [UInt8] = []
        var starts = [0]
        var lengths = [0]
        for rule in rules {
            starts.append(bytes.count)
            lengths.append(rule.name.utf8.count)
            bytes += Array(rule.name.utf8)
        }
        nameBytes = bytes
        nameStart = starts
        nameLength = lengths
        // The tables are constants of this file: a missing name is a typo
        // here, caught the first time any test runs.
        func id(_ name: String) -> UInt8 {
            guard let index = rules.firstIndex(where: { $0.name == name }) else { fatalError("no rule for \(name)") }
            return UInt8(index + 1)
        }
        p = id("p")
        a = id("a")
        img = id("img")
        br = id("br")
        tr = id("tr")
        func mask(_ names: [String]) -> UInt64 { names.reduce(0) { $0 | 1 << UInt64(id($1)) } }
        rowGroups = mask(["table", "thead", "tbody", "tfoot"])
        var parents = [UInt64](repeating: 0, count: rules.count + 1)
        for name in ["caption", "thead", "tbody", "tfoot"] { parents[Int(id(name))] = mask(["table"]) }
        parents[Int(tr)] = rowGroups
        for name in ["td", "th"] { parents[Int(id(name))] = mask(["tr"]) }
        tableParents = parents
        var read = [UInt32(0)] + rules.map { $0.attributes.reduce(0) { $0 | $1.bit } }
        read[Int(p)] |= AttributeName.class.bit
        read[Int(img)] |= AttributeName.dataSrc.bit | AttributeName.dataOriginal.bit
            | AttributeName.dataLazySrc.bit | AttributeName.srcset.bit
        readMask = read
        var closes = [UInt64](repeating: 0, count: rules.count + 1)
        for (closed, closers) in NestingRules.closedBy {
            let e = id(closed)
            precondition(e < 64 && rules[Int(e) - 1].action == .keep, "nesting rule for \(closed)")
            for closer in closers { closes[Int(id(closer))] |= 1 << UInt64(e) }
        }
        self.closes = closes
    }

    @inline(__always)
    func lookup(_ name: UnsafePointer<UInt8>) -> UInt8 { names.lookup(name) }
}

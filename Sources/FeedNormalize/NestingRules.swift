/// Which kept element libxml2's HTML parser closes implicitly when another
/// kept element opens directly inside it (its `htmlStartClose` table, as
/// 2.9.14 applies it to the innermost open element).
///
/// Why the serializer needs this: unwrapping can put an element where the
/// parser would not have: `<p><font><div>x</div></font></p>` parses as
/// p > font > div, and with `font` unwrapped the output would be
/// `<p><div>x</div></p>`, which parses back as `<p></p><div>x</div>`. The
/// output would then not be a fixed point of normalization. So before
/// opening an element the serializer closes whatever the parser would close,
/// exactly as the parser would; the result parses back to the same tree.
///
/// `NestingRulesTests` re-derives this table from the linked libxml2 by
/// parsing `<e><x>` for every pair, so a libxml2 upgrade that changes the
/// rules fails loudly instead of silently breaking idempotence.
enum NestingRules {
    /// element → the elements whose start tag closes it.
    static let closedBy: [String: [String]] = [
        "p": ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
              "blockquote", "pre", "table", "caption", "tbody", "tfoot", "tr", "td", "th", "hr"],
        "h1": ["p", "li", "table"], "h2": ["p", "li", "table"], "h3": ["p", "li", "table"],
        "h4": ["p", "li", "table"], "h5": ["p", "li", "table"], "h6": ["p", "li", "table"],
        "ul": ["ol", "pre"],
        "ol": ["ul"],
        "li": ["li"],
        "dl": ["li"],
        "dt": ["dl", "dd"],
        "dd": ["dt"],
        "pre": ["ul", "li", "dl", "dt", "dd", "table"],
        "caption": ["thead", "tbody", "tfoot", "tr"],
        "thead": ["tbody", "tfoot"],
        "tbody": ["tbody", "tfoot"],
        "tfoot": ["tbody"],
        "tr": ["tbody", "tfoot", "tr"],
        "td": ["tbody", "tfoot", "tr", "td", "th"],
        "th": ["tbody", "tfoot", "tr", "td", "th"],
        "a": ["table", "td", "th", "a"],
        "b": ["p", "td", "th"],
        "i": ["p", "td", "th"],
        "u": ["p", "td", "th"],
        "s": ["p"],
        "span": ["td", "th"],
        "small": ["p"],
    ]
}

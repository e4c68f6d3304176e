/// Turns upstream article HTML into what feedd stores and renders: safe
/// (allowlisted elements and attributes, http/https/mailto URLs only), clean
/// (indents, empty paragraphs, lazy images, relative URLs fixed), and
/// well-formed as both HTML and XML.
///
/// One call runs libxml2's HTML parser over the body, takes its events in
/// one pass (no tree is built) and writes UTF-8 straight into one buffer
/// (see `HTMLEvents`, `Sanitizer`, `Serializer`).
/// The rules and their reasons live with the code that applies them:
/// `Allowlist` (what survives), `URLSafety` (which URLs), `Serializer`
/// (whitespace, empty elements, nesting), `Outlet`, `Summary`, `XMLText`.
///
/// The output's shape: allowlisted elements only, attributes in allowlist
/// order, `&<>` escaped in text and `&<>"` in attribute values (all other
/// characters as UTF-8, NFC), void elements self-closed (`<br/>`,
/// `<img .../>`, `<hr/>`), one `\n` after each block's end tag and none at
/// the end. It parses as an XML fragment, and normalizing it again returns
/// the same bytes.
///
/// Limits: elements nested deeper than 256 are unwrapped (their text is
/// kept); a body over 2 GiB is returned empty.
///
/// Thread-safe: no shared mutable state; libxml2 is initialized once.
public enum HTMLNormalizer {
    /// Bump when the output for some input changes, so stored items can be
    /// re-normalized (`feedd renormalize`). 2: content nested deeper than
    /// 256 elements keeps its text (version 1 lost it with libxml2's tree).
    /// 3: table parts stand only where readers' parsers keep them (a cell
    /// straight in a table gets its row; parts out of place are unwrapped).
    public static let version = 3

    /// Normalizes one article body.
    /// - Parameters:
    ///   - body: the upstream HTML fragment, already decoded to a String.
    ///   - articleURL: the article's page, the base for relative URLs; when
    ///     nil, `//host/x` becomes `https://host/x` and other relative URLs
    ///     are dropped.
    public static func normalize(_ body: String, articleURL: String?) -> NormalizedBody {
        var body = body
        return body.withUTF8 { normalize(utf8: $0, articleURL: articleURL) }
    }

    /// Plain text of an upstream summary (a JSON `digest`, a feed's
    /// description) that may hold markup and entities: sanitized like a
    /// body, then cut to 200 graphemes.
    public static func summarize(_ text: String) -> String {
        normalize(text, articleURL: nil).summary
    }

    static func normalize(utf8 bytes: UnsafeBufferPointer<UInt8>, articleURL: String?) -> NormalizedBody {
        var sanitizer = Sanitizer(urls: URLResolver(articleURL: articleURL), capacity: bytes.count + 1024)
        guard HTMLEvents.parse(bytes, into: &sanitizer) else {
            return NormalizedBody(html: "", summary: "", outlet: nil)
        }
        let output = sanitizer.finish()
        let html = output.out.string(0..<output.out.count)
        let summary = output.out.withBytes(0..<output.out.count) { Summary.of(normalizedHTML: $0) }
        return NormalizedBody(html: html, summary: summary, outlet: output.outlet)
    }
}

extension HTMLNormalizer {
    /// `link` as the normalizer keeps an `a href` or `img src` without an
    /// article URL: an absolute http(s) URL (`//host/x` takes https), bytes
    /// ≤ 0x20 and DEL percent-encoded; nil for any other scheme, a disguised
    /// one, or a relative reference (there is no page to resolve it against).
    public static func webLink(_ link: String) -> String? {
        var link = link
        return link.withUTF8 { URLResolver(articleURL: nil).resolve($0, for: .image) }.map { String(decoding: $0, as: UTF8.self) }
    }
}

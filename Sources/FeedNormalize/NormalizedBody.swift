/// One article body after normalization.
public struct NormalizedBody: Sendable, Equatable {
    /// A safe, clean, well-formed HTML fragment (UTF-8, NFC) that also parses
    /// as an XML fragment: void elements self-close, `& < > "` are escaped.
    public var html: String
    /// Plain text of `html`: the first 200 graphemes, no markup, whitespace
    /// collapsed.
    public var summary: String
    /// The outlet the body names in its trailing source line ("新华财经"
    /// from `<p class="em_media">（文章来源：新华财经）</p>`), which is removed
    /// from `html`; nil when there is none.
    public var outlet: String?

    public init(html: String, summary: String, outlet: String?) {
        self.html = html
        self.summary = summary
        self.outlet = outlet
    }
}

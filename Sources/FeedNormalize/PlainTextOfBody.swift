extension HTMLNormalizer {
    /// The whole plain text of a body this normalizer wrote (what the rules'
    /// `text` field reads): tags removed, entities decoded, whitespace
    /// collapsed, like the summary but not cut.
    public static func plainText(ofNormalized html: String) -> String {
        var html = html
        return html.withUTF8 { TextContent.of($0, limit: $0.count + 1).text }
    }
}

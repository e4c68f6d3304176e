import FeedChecks
import FeedNormalize
import FuzzDriver

/// The HTML normalizer over arbitrary bytes: its output is a well-formed XML
/// fragment inside the allowlist with safe URLs (`OutputChecker`, the same
/// checks as the property tests), a fixed point, and its summary plain text of
/// at most 200 characters.
///
/// Input: an optional first line `URL\n` (when it starts with `h`, at most 300
/// bytes) is the article URL; otherwise the URL is one of a few chosen by the
/// input's length, none included.
@main enum NormalizerFuzzer {
    static let articleURLs: [String?] = [
        nil, "https://finance.example.cn/news/2024/a.html", "http://xn--fiqs8s.example/路径/文章?id=1&x=%E4",
        "https:/broken", "javascript:alert(1)", "file:///etc/passwd",
    ]

    static func main() {
        FuzzDriver.main { input in
            var body = input[...]
            var articleURL = articleURLs[input.count % articleURLs.count]
            if input.first == UInt8(ascii: "h"), let newline = input.prefix(300).firstIndex(of: 0x0A) {
                articleURL = String(decoding: input[..<newline], as: UTF8.self)
                body = input[(newline + 1)...]
            }
            let html = String(decoding: body, as: UTF8.self)
            let result = HTMLNormalizer.normalize(html, articleURL: articleURL)
            let context = "article URL: \(articleURL.debugDescription)\ninput: \(html.debugDescription)\noutput: \(result.html.debugDescription)"
            FuzzCheck.expect(OutputChecker.problems(in: result.html), context)
            let again = HTMLNormalizer.normalize(result.html, articleURL: articleURL)
            FuzzCheck.expect(again.html.utf8.elementsEqual(result.html.utf8),
                             "not a fixed point\n\(context)\nsecond: \(again.html.debugDescription)")
            FuzzCheck.expect(result.summary.count <= 200, "summary of \(result.summary.count) characters\n\(context)")
            FuzzCheck.expect(TextChecks.forbiddenCharacters(in: result.summary, named: "summary"), context)
            if let outlet = result.outlet {
                FuzzCheck.expect(TextChecks.forbiddenCharacters(in: outlet, named: "outlet"), context)
            }
        }
    }
}

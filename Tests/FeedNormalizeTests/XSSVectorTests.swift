import FeedChecks
import FeedTestSupport
import Testing
@testable import FeedNormalize

/// Attack strings in the style of the OWASP XSS filter evasion cheat sheet,
/// html5sec.org, and the DOMPurify / ammonia / bleach test suites, written
/// out here. None may leave an element outside the allowlist, an `on*` or
/// `style` attribute, or an href/src that is not http(s) (or mailto for
/// links) — checked by parsing the output as XML and walking it.
@Suite("XSS vectors")
struct XSSVectorTests {
    static let vectors = XSSVectors.all

    @Test(arguments: vectors) func vectorIsNeutralized(_ vector: String) {
        for articleURL in ["https://finance.example.cn/news/a.html", nil] {
            let result = HTMLNormalizer.normalize(vector, articleURL: articleURL)
            #expect(OutputChecker.problems(in: result.html) == [], "\(result.html)")
            #expect(sameBytes(HTMLNormalizer.normalize(result.html, articleURL: articleURL).html, result.html), "not idempotent: \(result.html)")
            // Also inside a paragraph, where parser states differ.
            let wrapped = HTMLNormalizer.normalize("<p>前" + vector + "后</p>", articleURL: articleURL)
            #expect(OutputChecker.problems(in: wrapped.html) == [], "\(wrapped.html)")
            #expect(sameBytes(HTMLNormalizer.normalize(wrapped.html, articleURL: articleURL).html, wrapped.html), "not idempotent: \(wrapped.html)")
        }
    }

    @Test("a link kept as the normalizer keeps an href without an article URL: absolute http(s) only")
    func webLinks() {
        #expect(HTMLNormalizer.webLink("https://www.stcn.com/a.html") == "https://www.stcn.com/a.html")
        #expect(HTMLNormalizer.webLink(" HTTP://x.cn/新闻 a\n") == "http://x.cn/新闻%20a")
        #expect(HTMLNormalizer.webLink("//x.cn/a") == "https://x.cn/a")
        for hostile in ["javascript:alert(1)", " JAVA\tSCRIPT:alert(1)", "data:text/html,<script>", "mailto:a@b.cn",
                        "/relative/a.html", "a.html", "https:x", "\u{2028}javascript:x", ""] {
            #expect(HTMLNormalizer.webLink(hostile) == nil, "\(hostile)")
        }
    }

    @Test func atLeastAHundredVectors() {
        #expect(Self.vectors.count >= 100)
        #expect(Set(Self.vectors).count == Self.vectors.count)
    }
}

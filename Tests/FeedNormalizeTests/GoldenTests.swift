import FeedChecks
import Testing
@testable import FeedNormalize

/// The sample article from the upstream API (`body-text.json`'s "text"),
/// beside the output a reviewer has read and accepted.
@Suite("Golden pair: sample article")
struct GoldenTests {
    @Test func sampleBody() throws {
        let input = try Fixtures.golden("sample-body.html")
        let expected = try Fixtures.golden("sample-body.expected.html")
        let result = HTMLNormalizer.normalize(input, articleURL: "https://finance.eastmoney.com/a/202112292229992448.html")
        #expect(sameBytes(result.html, expected))
        #expect(result.outlet == "新华财经")
        #expect(result.summary.count == 200)
        #expect(result.summary.hasPrefix("今年以来，中国工商银行围绕供给侧结构性改革主线"))
        #expect(!result.html.contains("文章来源"))
        #expect(OutputChecker.problems(in: result.html) == [])
        #expect(sameBytes(HTMLNormalizer.normalize(result.html, articleURL: nil).html, result.html))
    }
}

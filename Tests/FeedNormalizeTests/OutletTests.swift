import Testing
@testable import FeedNormalize

/// The outlet line: found (em_media class or trailing source-line form),
/// returned, removed from the body.
@Suite("Outlet line")
struct OutletTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let input: String
        let html: String
        let outlet: String?
        var testDescription: String { input }
    }

    static let cases: [Case] = [
        Case(input: "<p>正文</p><p class=\"em_media\">（文章来源：新华财经）</p>", html: "<p>正文</p>", outlet: "新华财经"),
        Case(input: "<p>正文</p><p class=\"x em_media y\">(文章来源: 中国证券报)</p>", html: "<p>正文</p>", outlet: "中国证券报"),
        Case(input: "<p>正文</p><p class=\"em_media\">（文章来源：新华财经）</p><p style=\"text-align:right\">（责任编辑：王伟 HN123）</p>",
             html: "<p>正文</p>\n<p>（责任编辑：王伟 HN123）</p>", outlet: "新华财经"),
        Case(input: "<div><p>正文</p><p class=\"em_media\">（文章来源：上海证券报）</p></div>", html: "<div><p>正文</p>\n</div>", outlet: "上海证券报"),
        Case(input: "<p class=\"em_media\">（文章来源：新华财经）</p>", html: "", outlet: "新华财经"),
        Case(input: "<p>正文</p><p class=\"em_media\">东方财富Choice数据</p>", html: "<p>正文</p>", outlet: "东方财富Choice数据"),
        Case(input: "<p>正文</p>\r\n<p>（来源：新华社）</p>", html: "<p>正文</p>", outlet: "新华社"),
        Case(input: "<p>正文</p><p>(来源:证券时报)</p><br>", html: "<p>正文</p>", outlet: "证券时报"),
        Case(input: "<p>正文</p><p>来源：第一财经</p>", html: "<p>正文</p>", outlet: "第一财经"),
        Case(input: "<p>正文</p><p>来源：第一财经</p><br><p>（来源：新华社）</p>", html: "<p>正文</p>", outlet: "新华社"),
        Case(input: "<p>正文</p><p><strong>　　文章来源：财联社</strong></p>", html: "<p>正文</p>", outlet: "财联社"),
        Case(input: "<p>（来源：新华社）</p><p>正文在后</p>", html: "<p>（来源：新华社）</p>\n<p>正文在后</p>", outlet: nil),
        Case(input: "<p>正文</p><p>数据来源：国家统计局，经整理。</p>", html: "<p>正文</p>\n<p>数据来源：国家统计局，经整理。</p>", outlet: nil),
        Case(input: "<p>正文</p>", html: "<p>正文</p>", outlet: nil),
    ]

    @Test(arguments: cases) func outlet(_ c: Case) {
        let result = HTMLNormalizer.normalize(c.input, articleURL: nil)
        #expect(sameBytes(result.html, c.html), "got \(result.html.debugDescription)")
        #expect(result.outlet == c.outlet)
        #expect(sameBytes(HTMLNormalizer.normalize(result.html, articleURL: nil).html, result.html))
    }
}

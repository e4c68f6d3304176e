import Foundation
import Testing
@testable import FeedNormalize

/// The summary: plain text of the cleaned body, 200 graphemes.
@Suite("Summary")
struct SummaryTests {
    @Test func plainTextOfTheCleanBody() {
        let result = HTMLNormalizer.normalize("<h3>标题</h3><p>　　第一段 <b>粗体</b>&amp;<a href=\"https://x.cn/\">链接</a></p><p>第二段<br>换行</p><p class=\"em_media\">（文章来源：新华财经）</p>", articleURL: nil)
        #expect(sameBytes(result.summary, "标题 第一段 粗体&链接 第二段 换行"), "got \(result.summary)")
    }

    @Test func cutAt200Graphemes() {
        let body = "<p>" + String(repeating: "中", count: 150) + "</p><p>" + String(repeating: "文", count: 150) + "</p>"
        let summary = HTMLNormalizer.normalize(body, articleURL: nil).summary
        #expect(summary.count == 200)
        #expect(sameBytes(summary, String(repeating: "中", count: 150) + " " + String(repeating: "文", count: 49)))
    }

    @Test func cutByGraphemesNotScalars() {
        // Each "é" is two scalars; each flag two regional indicators; "👩‍💻" three scalars.
        let body = "<p>" + String(repeating: "e\u{0301}", count: 120) + String(repeating: "🇨🇳", count: 50) + String(repeating: "👩‍💻", count: 50) + "</p>"
        let summary = HTMLNormalizer.normalize(body, articleURL: nil).summary
        #expect(summary.count == 200)
        #expect(sameBytes(summary, String(repeating: "\u{E9}", count: 120) + String(repeating: "🇨🇳", count: 50) + String(repeating: "👩‍💻", count: 30)))
    }

    @Test func neverEndsWithASpace() {
        let body = "<p>" + String(repeating: "字", count: 199) + "</p><p>下一段</p>"
        let summary = HTMLNormalizer.normalize(body, articleURL: nil).summary
        #expect(sameBytes(summary, String(repeating: "字", count: 199)))
    }

    @Test func summarizeUpstreamDigest() {
        #expect(sameBytes(HTMLNormalizer.summarize("【标题】摘要&nbsp;内容 &lt;b&gt; <b>粗</b>\r\n  第二行"), "【标题】摘要\u{00A0}内容 <b> 粗 第二行"))
        #expect(HTMLNormalizer.summarize("") == "")
        #expect(HTMLNormalizer.summarize("a < b && c > d") == "a < b && c > d")
        #expect(HTMLNormalizer.summarize(String(repeating: "长", count: 500)).count == 200)
    }

    @Test func combiningSolidusReference() {
        #expect(sameBytes(HTMLNormalizer.normalize("<p><b>x</b>\u{0338}y</p>", articleURL: nil).summary, "x\u{0338}y"))
    }
}

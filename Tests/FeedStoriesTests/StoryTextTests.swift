import FeedStories
import Testing

@Suite("StoryText: what an outlet changes when it reprints is not text")
struct StoryTextTests {
    func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

    @Test func keepsLettersAndDigitsInOneWidthAndCase() {
        let t = StoryText(title: "Ａ股：沪指收涨０．５％", html: "<p>　　ETF沪指收涨0.5%。</p>")
        #expect(t.title == scalars("a股沪指收涨05"))
        #expect(t.body == scalars("etf沪指收涨05"))
    }

    @Test func fullAndHalfWidthAreOneText() {
        let full = StoryText(title: "t", html: "<p>前三季度营收１２３．４５亿元，同比增长１２％（初值）。</p>")
        let half = StoryText(title: "t", html: "<p>前三季度营收123.45亿元,同比增长12%(初值).</p>")
        #expect(full == half)
    }

    @Test("source, editor and image lines are not text", arguments: [
        "<p>（文章来源：新华财经）</p>",
        "<p>(文章来源:新华财经)</p>",
        "<p>（责任编辑：张三）</p>",
        "<p>编辑：李四</p>",
        "<p>责任编辑：王五 审核：赵六</p>",
        "<p>来源：证券时报</p>",
        "<p><img src=\"https://img.example.com/a.jpg\" alt=\"配图说明文字\"/></p>",
    ])
    func editorialLinesDropped(line: String) {
        let base = "<p>新华财经北京12月1日电 央行开展1000亿元逆回购操作。</p>"
        #expect(StoryText(title: "t", html: base + line) == StoryText(title: "t", html: base))
    }

    @Test func asideAtTheEndOfAParagraphDropped() {
        let with = StoryText(title: "t", html: "<p>央行开展1000亿元逆回购操作。（文章来源：新华社）</p>")
        let without = StoryText(title: "t", html: "<p>央行开展1000亿元逆回购操作。</p>")
        #expect(with == without)
    }

    @Test("a paragraph that opens like a label but is long stays text")
    func longParagraphStays() {
        let paragraph = "记者：" + String(repeating: "央行开展逆回购操作", count: 10)
        #expect(!StoryText(title: "t", html: "<p>\(paragraph)</p>").body.isEmpty)
    }

    @Test func numbersAreFigures() {
        let a = StoryText(title: "t", html: "<p>沪指收涨0.5%，报3,050.12点。</p>")
        let b = StoryText(title: "t", html: "<p>沪指收涨0.8%，报3050.12点。</p>")
        #expect(a.numbers.count == 2)
        #expect(a.numbers != b.numbers)
        #expect(Set(a.numbers).intersection(b.numbers).count == 1) // 3,050.12 is 3050.12
    }

    @Test func entitiesAreDecoded() {
        let a = StoryText(title: "t", html: "<p>A&amp;B&#x516C;&#21496;&lt;</p>")
        #expect(a.body == scalars("ab公司"))
    }
}

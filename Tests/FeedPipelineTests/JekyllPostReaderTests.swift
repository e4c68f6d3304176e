import FeedModel
import FeedPipeline
import FeedRender
import Foundation
import Testing

@Suite("Reading Jekyll posts back")
struct JekyllPostReaderTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let template = "http://finews.zning.xyz/html_News/NewsShare.html?infoCode={id}"
    static let reader = JekyllPostReader(shareLink: template, timezone: zone)
    static let site = JekyllSite(url: "//finews.withounder.com/", shareLink: template, timezone: zone)

    @Test("what the writer writes, the reader reads: titles with quotes, colons, #, leading -, emoji", arguments: [
        "他说\"不\"行", #"C:\new\table"#, "标题: 副标题", "#话题 开头", "- 列表开头", "emoji 📈🚀 涨", "'单引号'", "null",
        "行一\n行二", "  前后空格  ", "[数组]", "{映射: 值}", "&anchor *alias",
    ])
    func titles(_ title: String) throws {
        let category = Category(name: "新华财经", slug: Slug(validating: "xinhuacaijing")!)
        let post = JekyllPost(infoCode: InfoCode("NW1")!, title: title, date: beijing("2021-12-29 15:06:00"),
                              category: category, body: HTMLFragment(normalized: "<p>正文</p>"))
        let read = try Self.reader.parse(post.render(for: Self.site), path: "/x/" + post.fileName(in: Self.zone))
        #expect(read.title == title)
        #expect(read.infoCode.rawValue == "NW1")
        #expect(read.date == post.date)
        #expect(read.categorySlug == "xinhuacaijing" && read.tag == "新华财经新闻")
        #expect(read.body == "<p>正文</p>")
        #expect(read.shareLink == "http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW1")
    }

    /// A fuzz finding (Fuzz/regressions/jekyll): before 1901 Shanghai keeps local mean time,
    /// +08:05:43; the clock time was written for that offset and the offset cut to +0805.
    @Test("a date the site's zone gives an offset with seconds (local mean time) reads back as written")
    func localMeanTime() throws {
        let category = Category(name: "新华财经", slug: Slug(validating: "xinhuacaijing")!)
        let date = beijing("1010-12-29 15:06:00")
        let post = JekyllPost(infoCode: InfoCode("NW1")!, title: "t", date: date, category: category, body: HTMLFragment(normalized: "<p>x</p>"))
        let read = try Self.reader.parse(post.render(for: Self.site), path: "/x/" + post.fileName(in: Self.zone))
        #expect(read.date.timeIntervalSince1970 == date.timeIntervalSince1970.rounded(.down))
    }

    /// A fuzz finding (Fuzz/regressions/jekyll): years were written unpadded ("221-12-29"),
    /// which neither the reader nor RFC 3339 accepts.
    @Test("a year before 1000 is written with four digits and reads back")
    func shortYear() throws {
        let category = Category(name: "新华财经", slug: Slug(validating: "xinhuacaijing")!)
        let date = beijing("0221-12-29 15:06:00")
        let post = JekyllPost(infoCode: InfoCode("NW1")!, title: "t", date: date, category: category, body: HTMLFragment(normalized: "<p>x</p>"))
        #expect(post.fileName(in: Self.zone).hasPrefix("0221-12-29-"))
        let read = try Self.reader.parse(post.render(for: Self.site), path: "/x/" + post.fileName(in: Self.zone))
        #expect(read.date == date)
    }

    @Test("a post saved with CRLF line ends reads the same")
    func crlf() throws {
        let text = "---\r\nlayout: post\r\ntitle: \"标题\"\r\ndate: 2021-12-29 15:06:00 +0800\r\ncategories: xinhuacaijing\r\n"
            + "tags: 新华财经新闻\r\n---\r\n<p>正文</p>\r\n\r\n<http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW9>\r\n\r\n"
            + "[返回新华财经新闻](//s/category/xinhuacaijing.html)｜[返回首页](//s/)\r\n"
        let read = try Self.reader.parse(text, path: "post.md")
        #expect(read.title == "标题" && read.infoCode.rawValue == "NW9" && read.categorySlug == "xinhuacaijing")
        #expect(read.body.trimmingCharacters(in: .whitespacesAndNewlines) == "<p>正文</p>")
    }

    @Test("the code comes from the share link where the template has {id}, else infoCode=, else the file name")
    func codes() throws {
        let custom = JekyllPostReader(shareLink: "https://example.com/share/{id}.html", timezone: Self.zone)
        func post(_ share: String?) -> String {
            "---\ntitle: t\ndate: 2021-12-29\n---\n<p>x</p>" + (share.map { "\n\n<\($0)>" } ?? "")
        }
        #expect(try custom.parse(post("https://example.com/share/AB12.html"), path: "a.md").infoCode.rawValue == "AB12")
        #expect(try custom.parse(post("http://old.example/x?id=1&infoCode=CD34"), path: "a.md").infoCode.rawValue == "CD34")
        #expect(try custom.parse(post(nil), path: "/p/2021-12-29-EF56.md").infoCode.rawValue == "EF56")
        #expect(throws: JekyllImportProblem.self) { try custom.parse(post(nil), path: "/p/2021-12-29-hello.md") }
        #expect(throws: JekyllImportProblem.self) { try custom.parse(post(nil), path: "/p/notes.md") }
    }

    @Test("dates: with an offset as written, without one in the site's zone, missing: the file name's day")
    func dates() throws {
        func post(_ date: String?) -> String {
            "---\ntitle: t\n" + (date.map { "date: \($0)\n" } ?? "") + "---\n<p>x</p>"
        }
        #expect(try Self.reader.parse(post("2021-12-29 15:06:00 +0800"), path: "/p/2021-12-29-NW1.md").date
                == beijing("2021-12-29 15:06:00"))
        #expect(try Self.reader.parse(post("2021-12-29 07:06:00 +0000"), path: "/p/2021-12-29-NW1.md").date
                == beijing("2021-12-29 15:06:00"))
        #expect(try Self.reader.parse(post("2021-12-29 15:06"), path: "/p/2021-12-29-NW1.md").date
                == beijing("2021-12-29 15:06:00"))
        #expect(try Self.reader.parse(post(nil), path: "/p/2021-12-29-NW1.md").date == beijing("2021-12-29 00:00:00"))
    }

    @Test("categories and tags as Jekyll reads them: a list or space-separated words; the first counts")
    func firstCategory() throws {
        let text = "---\ntitle: t\ndate: 2021-12-29\ncategories: [xinhuacaijing, emnews]\ntags: 新华财经新闻 其他\n---\n<p>x</p>"
        let read = try Self.reader.parse(text, path: "/p/2021-12-29-NW1.md")
        #expect(read.categorySlug == "xinhuacaijing" && read.tag == "新华财经新闻")
    }

    @Test("only the share link and back links are cut from the body's end, not HTML that ends the article")
    func bodyEnd() throws {
        let text = "---\ntitle: t\ndate: 2021-12-29\n---\n<p>见</p>\n<p>http://example.com/a</p>\n<https://example.com/x>"
        let read = try Self.reader.parse(text, path: "/p/2021-12-29-NW1.md")
        #expect(read.body == "<p>见</p>\n<p>http://example.com/a</p>")
        #expect(read.shareLink == "https://example.com/x")
    }

    @Test("problems name the line: a non-mapping front matter, a title that is not text")
    func problems() {
        #expect(throws: JekyllImportProblem(file: "p.md", line: 2, message: "the front matter is not a mapping of keys")) {
            try Self.reader.parse("---\n- a\n- b\n---\nx", path: "p.md")
        }
        #expect(throws: JekyllImportProblem(file: "p.md", line: 3, message: "the title is not text")) {
            try Self.reader.parse("---\ndate: 2021-12-29\ntitle: [a, b]\n---\nx", path: "p.md")
        }
        #expect(throws: JekyllImportProblem(file: "p.md", line: 1, message: "no title in the front matter")) {
            try Self.reader.parse("---\ndate: 2021-12-29\n---\nx", path: "p.md")
        }
    }
}

@testable import FeedConfig
import FeedRules
import Testing

@Suite("config.yaml: `type: feed` and `type: html` sources")
struct FeedAndHTMLSourceConfigTests {
    static let valid = """
        sources:
          - name: xinhua-rss
            type: feed
            url: https://example.cn/rss.xml
            category: 新华财经
            id: 'NW\\d{18}'
            full_text: {xpath: '//div[@id="ContentBody"]'}
          - name: tagged
            type: feed
            url: https://example.cn/atom.xml
            category_from: item
          - name: cs-com
            type: html
            url: https://example.cn/list.html
            items: '//ul[@class="list"]/li'
            fields: {title: 'a', link: 'a/@href', date: 'span[@class="time"]'}
            body: {xpath: '//div[@class="article"]'}
            category: 中国证券报
        """

    func load(_ yaml: String) throws(ConfigError) -> Config {
        try ConfigLoader.parse(yaml: yaml, file: "config.yaml", baseDirectory: "/srv/feedd")
    }

    @Test("the valid config reads into typed settings")
    func valid() throws {
        let c = try load(Self.valid)
        let code = try Pattern(#"NW\d{18}"#, caseSensitive: true)
        #expect(c.sources[0].kind == .feed(FeedSourceSettings(categoryFromItem: false, idPattern: code,
                                                               fullText: ArticleExtraction(xpath: #"//div[@id="ContentBody"]"#))))
        #expect(c.sources[0].category == "新华财经")
        #expect(c.sources[1].kind == .feed(FeedSourceSettings(categoryFromItem: true)))
        #expect(c.sources[2].kind == .html(HTMLSourceSettings(
            items: #"//ul[@class="list"]/li"#,
            fields: .init(title: "a", link: "a/@href", date: #"span[@class="time"]"#),
            body: ArticleExtraction(xpath: #"//div[@class="article"]"#))))
    }


    static let cases: [ConfigMistake] = [
        ConfigMistake(description: "a feed with neither category nor category_from", replace: "    category_from: item\n", with: "",
             line: 8, keyPath: "sources[1]", message: "needs 'category' (a fixed category) or 'category_from: item'"),
        ConfigMistake(description: "category_from names something else", replace: "category_from: item", with: "category_from: channel",
             line: 11, keyPath: "sources[1].category_from", message: "the only one is 'item'"),
        ConfigMistake(description: "an id that is not a regex", replace: #"id: 'NW\d{18}'"#, with: "id: 'NW[0-9'",
             line: 6, keyPath: "sources[0].id", message: "not a valid regular expression"),
        ConfigMistake(description: "full_text without xpath", replace: #"full_text: {xpath: '//div[@id="ContentBody"]'}"#,
             with: "full_text: {css: 'div'}", line: 7, keyPath: "sources[0].full_text.css", message: "unknown key 'css' (allowed here: xpath)"),
        ConfigMistake(description: "a misspelled feed key", replace: "    category_from: item", with: "    category_form: item",
             line: 11, keyPath: "sources[1].category_form", message: "did you mean 'category_from'?"),
        ConfigMistake(description: "an html list without category", replace: "\n    category: 中国证券报", with: "",
             line: 12, keyPath: "sources[2]", message: "needs 'category'"),
        ConfigMistake(description: "html fields without link", replace: "{title: 'a', link: 'a/@href', date:", with: "{title: 'a', date:",
             line: 16, keyPath: "sources[2].fields.link", message: "missing required key 'link'"),
        ConfigMistake(description: "a misspelled html field", replace: "{title: 'a', link:", with: "{titel: 'a', link:",
             line: 16, keyPath: "sources[2].fields.titel", message: "did you mean 'title'?"),
        ConfigMistake(description: "an html list without items", replace: "    items: '//ul[@class=\"list\"]/li'\n", with: "",
             line: 12, keyPath: "sources[2].items", message: "missing required key 'items'"),
        ConfigMistake(description: "json keys are not feed keys", replace: "    category_from: item", with: "    list: record",
             line: 11, keyPath: "sources[1].list", message: "unknown key 'list'"),
    ]

    @Test("each mistake is reported precisely", arguments: cases)
    func mistake(_ c: ConfigMistake) {
        c.check(in: Self.valid)
    }
}

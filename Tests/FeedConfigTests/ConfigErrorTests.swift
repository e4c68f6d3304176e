@testable import FeedConfig
import Foundation
import Testing

@Suite("config.yaml: errors name file, line and key path")
struct ConfigErrorTests {
    static let valid = """
        site:
          title: 财经新闻
          url: http://localhost:8080/
          timezone: Asia/Shanghai
        poll:
          interval: 60s
          max_body: 15MB
        sources:
          - name: market-37
            type: json
            url: http://example.com/webapi?marketType=37
            interval: 30s
            list: record
            fields: {id: infoCode, title: title, date: datetime, category: medianame}
            body: {url: "http://example.com/NewsData/GetNewsText.do?id={id}", field: text}
          - name: rolling
            type: json
            url: http://example.com/webapi?type=102
            list: records
            fields: {id: infoCode, title: title, date: showtime, summary: digest, link: url_w}
            category: 东财滚动新闻
        categories:
          东财滚动新闻: {slug: emnews}
        """

    func load(_ yaml: String) throws(ConfigError) -> Config {
        try ConfigLoader.parse(yaml: yaml, file: "config.yaml", baseDirectory: "/srv/feedd")
    }

    func error(_ yaml: String) -> ConfigError? {
        do { _ = try load(yaml); return nil } catch { return error }
    }

    @Test("the valid config reads with its values")
    func valid() throws {
        let c = try load(Self.valid)
        #expect(c.sources.map(\.name) == ["market-37", "rolling"])
        #expect(c.sources[0].interval == .seconds(30))
        #expect(c.poll.interval == .seconds(60))
        #expect(c.poll.maxBody == 15 << 20)
        #expect(c.storage == "/srv/feedd/data/feedd.sqlite")
        #expect(c.output == "/srv/feedd/public")
        #expect(c.category(named: "东财滚动新闻").category.slug.rawValue == "emnews")
        #expect(c.category(named: "新华财经").category.slug.rawValue == "xinhuacaijing")
        #expect(c.site.timezone.identifier == "Asia/Shanghai")
    }

    static let cases: [ConfigMistake] = [
        ConfigMistake(description: "unknown top key suggests the closest", replace: "poll:\n", with: "pol:\n",
             line: 5, keyPath: "pol", message: "did you mean 'poll'?"),
        ConfigMistake(description: "misspelled source key", replace: "    list: record", with: "    lst: record",
             line: 13, keyPath: "sources[0].lst", message: "did you mean 'list'?"),
        ConfigMistake(description: "misspelled field key", replace: "{id: infoCode, title: title, date: datetime",
             with: "{id: infoCode, titel: title, date: datetime",
             line: 14, keyPath: "sources[0].fields.titel", message: "did you mean 'title'?"),
        ConfigMistake(description: "wrong type: a list where a mapping goes", replace: "site:\n  title: 财经新闻\n  url: http://localhost:8080/\n  timezone: Asia/Shanghai\n",
             with: "site: [财经新闻]\n", line: 1, keyPath: "site", message: "expected a mapping, found a list"),
        ConfigMistake(description: "wrong type: a mapping where a number goes", replace: "  interval: 60s\n",
             with: "  concurrency: {a: 1}\n", line: 6, keyPath: "poll.concurrency", message: "expected a string, found a mapping"),
        ConfigMistake(description: "missing required key", replace: "    list: records\n", with: "",
             line: 16, keyPath: "sources[1].list", message: "missing required key 'list'"),
        ConfigMistake(description: "missing sources", replace: "sources:", with: "sourcez:",
             line: 8, keyPath: "sourcez", message: "did you mean 'sources'?"),
        ConfigMistake(description: "duplicate source name", replace: "name: rolling", with: "name: market-37",
             line: 16, keyPath: "sources[1].name", message: "duplicate source name 'market-37' (first at line 9)"),
        ConfigMistake(description: "duration without unit", replace: "interval: 60s", with: "interval: 60",
             line: 6, keyPath: "poll.interval", message: "'60' is not a duration"),
        ConfigMistake(description: "duration with space", replace: "interval: 30s", with: "interval: 30 s",
             line: 12, keyPath: "sources[0].interval", message: "is not a duration"),
        ConfigMistake(description: "size with unknown unit", replace: "max_body: 15MB", with: "max_body: 15MBs",
             line: 7, keyPath: "poll.max_body", message: "'15MBs' is not a size"),
        ConfigMistake(description: "unknown source type", replace: "    type: json\n    url: http://example.com/webapi?type=102",
             with: "    type: jsn\n    url: http://example.com/webapi?type=102",
             line: 17, keyPath: "sources[1].type", message: "did you mean 'json'?"),
        ConfigMistake(description: "bad URL scheme", replace: "url: http://example.com/webapi?marketType=37",
             with: "url: ftp://example.com/list", line: 11, keyPath: "sources[0].url", message: "not an http, https or file URL"),
        ConfigMistake(description: "body URL without {id}", replace: "GetNewsText.do?id={id}", with: "GetNewsText.do",
             line: 15, keyPath: "sources[0].body.url", message: "must contain {id}"),
        ConfigMistake(description: "unknown time zone", replace: "timezone: Asia/Shanghai", with: "timezone: Asia/Beijing",
             line: 4, keyPath: "site.timezone", message: "unknown time zone"),
        ConfigMistake(description: "unsafe slug", replace: "{slug: emnews}", with: "{slug: ../etc}",
             line: 23, keyPath: "categories.东财滚动新闻.slug", message: "not a usable slug"),
        ConfigMistake(description: "YAML syntax error", replace: "    list: record\n", with: "    list: [record\n",
             line: 14, keyPath: "", message: "YAML syntax"),
        ConfigMistake(description: "duplicate key", replace: "    list: record\n", with: "    list: record\n    list: x\n",
             line: 13, keyPath: "", message: "duplicate key 'list'"),
        // A fuzz finding (Fuzz/regressions/config): libyaml's reader gives an offset, which had no line.
        ConfigMistake(description: "a control character", replace: "    list: record\n", with: "    list: rec\u{1}ord\n",
             line: 13, keyPath: "", message: "control characters are not allowed"),
        ConfigMistake(description: "no category at all", replace: "    category: 东财滚动新闻\n", with: "",
             line: 16, keyPath: "sources[1]", message: "needs 'category'"),
    ]

    @Test("each mistake is reported precisely", arguments: cases)
    func mistake(_ c: ConfigMistake) {
        c.check(in: Self.valid)
    }

    @Test("durations and sizes are parsed strictly", arguments: [
        ("30s", 30.0), ("5m", 300.0), ("2h", 7200.0), ("500ms", 0.5), ("1d", 86400.0),
    ])
    func durations(text: String, seconds: Double) {
        #expect(Quantities.duration(text)?.seconds == seconds)
    }

    @Test("bad durations and sizes are refused", arguments: ["30", "s", "5 m", "-5s", "1.5s", "5M", "", "5mss"])
    func badDurations(text: String) {
        #expect(Quantities.duration(text) == nil)
    }

    @Test("sizes")
    func sizes() {
        #expect(Quantities.size("15MB") == 15 * 1_048_576)
        #expect(Quantities.size("512KB") == 512 * 1024)
        #expect(Quantities.size("1GiB") == 1 << 30)
        #expect(Quantities.size("100B") == 100)
        for bad in ["15", "15 MB", "15mb", "MB", "-1MB", "1.5MB", "99999999999GB"] { #expect(Quantities.size(bad) == nil, "\(bad)") }
    }

    @Test("--source names an unknown source: error with a suggestion")
    func unknownSourceName() throws {
        let c = try load(Self.valid)
        #expect(throws: ConfigError.self) { try c.sources(named: ["rollin"]) }
        do { _ = try c.sources(named: ["rollin"]) } catch { #expect(error.message.contains("did you mean 'rolling'?")) }
        #expect(try c.sources(named: ["rolling"]).map(\.name) == ["rolling"])
    }
}

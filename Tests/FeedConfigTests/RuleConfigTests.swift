@testable import FeedConfig
import FeedRules
import Testing

@Suite("config.yaml: rules and topics")
struct RuleConfigTests {
    static let valid = """
        sources:
          - name: market
            type: json
            url: http://example.com/webapi/market
            list: record
            fields: {id: infoCode, title: title, date: datetime, category: medianame}
            rules:
              - discard: {title: "直播预告"}
          - name: rolling
            type: json
            url: http://example.com/webapi/rolling
            list: records
            fields: {id: infoCode, title: title, date: showtime}
            category: 东财滚动新闻
        rules:
          - discard: {title: "广告|推广", case: sensitive}
          - keep_only: {outlet: "新华财经|证券时报", source: "market|rolling"}
          - rewrite: {title: {pattern: "^【(.+?)】", replace: "$1"}}
          - remove: {xpath: "//p[contains(., '责任编辑')]"}
        categories:
          东财滚动新闻:
            slug: emnews
            rules:
              - rewrite: {outlet: {pattern: "\\\\s+", replace: "", case: sensitive}}
        topics:
          光伏: {match: {text: "光伏|太阳能|组件"}}
          北交所:
            match: {title: "北交所|北京证券交易所"}
            slug: bse
            rules:
              - discard: {link: "^http:"}
        """

    func load(_ yaml: String) throws(ConfigError) -> Config {
        try ConfigLoader.parse(yaml: yaml, file: "config.yaml", baseDirectory: "/srv/feedd")
    }

    @Test func readsEveryLevelInOrder() throws {
        let config = try load(Self.valid)
        let top = config.rules.top
        #expect(top.count == 4)
        guard case .discard(let d) = top[0].action, case .keepOnly(let k) = top[1].action,
              case .rewrite(.title, let p, let r) = top[2].action, case .remove(let x) = top[3].action else {
            Issue.record("kinds: \(top)")
            return
        }
        #expect(d.clauses.map(\.field) == [.title] && d.clauses[0].pattern.caseSensitive)
        #expect(Set(k.clauses.map(\.field)) == [.outlet, .source] && !k.clauses[0].pattern.caseSensitive)
        #expect(p.replacingMatches(in: "【快讯】央行", with: r) == "快讯央行")
        #expect(x == "//p[contains(., '责任编辑')]")
        #expect(top[0].place == "config.yaml:16 rules[0]")
        #expect(config.rules.bySource["market"]?.count == 1)
        #expect(config.rules.bySource["rolling"] == nil)
        #expect(config.rules.byCategory["东财滚动新闻"]?.count == 1)
        #expect(config.rules.byCategory["北交所"]?.count == 1)
        #expect(config.rules.xpaths.map(\.keyPath) == ["rules[3].remove.xpath"])
        #expect(config.rules.xpaths.first?.line == 19)
        #expect(config.categories["东财滚动新闻"]?.slug?.rawValue == "emnews")
    }

    @Test func topicsGetSlugsLikeCategories() throws {
        let config = try load(Self.valid)
        #expect(config.topics.map(\.category.name) == ["光伏", "北交所"])
        #expect(config.topics.map(\.category.slug.rawValue) == ["guangfu", "bse"])
        #expect(config.topics[0].match.clauses.map(\.field) == [.text])
    }

    @Test func aChangedRuleChangesTheFingerprintText() throws {
        let a = try load(Self.valid).rules.fingerprintText
        let b = try load(Self.valid.replacingOccurrences(of: "直播预告", with: "直播")).rules.fingerprintText
        #expect(a != b)
        #expect(try load(Self.valid).rules.fingerprintText == a)
    }

    static let mistakes: [ConfigMistake] = [
        ConfigMistake(description: "unknown rule kind", replace: "  - keep_only: {outlet", with: "  - keep_onyl: {outlet",
                      line: 17, keyPath: "rules[1].keep_onyl", message: "did you mean 'keep_only'?"),
        ConfigMistake(description: "two kinds in one rule", replace: "  - discard: {title: \"广告|推广\", case: sensitive}",
                      with: "  - {discard: {title: a}, keep_only: {title: b}}",
                      line: 16, keyPath: "rules[0]", message: "a rule is one of"),
        ConfigMistake(description: "unknown field", replace: "{outlet: \"新华财经|证券时报\"", with: "{outlett: \"新华财经|证券时报\"",
                      line: 17, keyPath: "rules[1].keep_only.outlett", message: "did you mean 'outlet'?"),
        ConfigMistake(description: "empty condition", replace: "{title: \"广告|推广\", case: sensitive}", with: "{case: sensitive}",
                      line: 16, keyPath: "rules[0].discard", message: "at least one field"),
        ConfigMistake(description: "bad case", replace: "case: sensitive}\n  - keep", with: "case: upper}\n  - keep",
                      line: 16, keyPath: "rules[0].discard.case", message: "'upper' is not a case"),
        ConfigMistake(description: "invalid pattern", replace: "\"广告|推广\"", with: "\"广告(推广\"",
                      line: 16, keyPath: "rules[0].discard.title", message: "missing ')'"),
        ConfigMistake(description: "backreference refused", replace: "\"直播预告\"", with: "\"(直播)\\\\1\"",
                      line: 8, keyPath: "sources[0].rules[0].discard.title", message: "backreferences"),
        ConfigMistake(description: "lookahead refused", replace: "\"北交所|北京证券交易所\"", with: "\"北交所(?!所)\"",
                      line: 28, keyPath: "topics.北交所.match.title", message: "lookahead"),
        ConfigMistake(description: "rewrite of a field that is not plain text", replace: "rewrite: {title: {pattern",
                      with: "rewrite: {text: {pattern", line: 18, keyPath: "rules[2].rewrite.text", message: "unknown key 'text' (allowed here: title, summary, outlet)"),
        ConfigMistake(description: "replacement names a missing group", replace: "replace: \"$1\"", with: "replace: \"$2\"",
                      line: 18, keyPath: "rules[2].rewrite.title.replace", message: "$2 names a group"),
        ConfigMistake(description: "rewrite without replace", replace: ", replace: \"$1\"", with: "",
                      line: 18, keyPath: "rules[2].rewrite.title.replace", message: "missing required key 'replace'"),
        ConfigMistake(description: "remove without xpath", replace: "remove: {xpath:", with: "remove: {path:",
                      line: 19, keyPath: "rules[3].remove.path", message: "did you mean 'xpath'?"),
        ConfigMistake(description: "rules not a list", replace: "    rules:\n      - discard: {title: \"直播预告\"}",
                      with: "    rules: {discard: {title: x}}",
                      line: 7, keyPath: "sources[0].rules", message: "expected a list"),
        ConfigMistake(description: "category rule with a bad pattern", replace: "\"\\\\s+\"", with: "\"[\"",
                      line: 24, keyPath: "categories.东财滚动新闻.rules[0].rewrite.outlet.pattern", message: "missing ']'"),
        ConfigMistake(description: "unknown category key", replace: "    rules:\n      - rewrite", with: "    rulez:\n      - rewrite",
                      line: 23, keyPath: "categories.东财滚动新闻.rulez", message: "did you mean 'rules'?"),
        ConfigMistake(description: "topic without match", replace: "光伏: {match: {text: \"光伏|太阳能|组件\"}}", with: "光伏: {slug: pv}",
                      line: 26, keyPath: "topics.光伏.match", message: "missing required key 'match'"),
        ConfigMistake(description: "topic key misspelled", replace: "光伏: {match:", with: "光伏: {mach:",
                      line: 26, keyPath: "topics.光伏.mach", message: "did you mean 'match'?"),
        ConfigMistake(description: "topic slug taken by a category", replace: "slug: bse", with: "slug: emnews",
                      line: 29, keyPath: "topics.北交所.slug", message: "already used by category '东财滚动新闻'"),
        ConfigMistake(description: "topic named like a source's category", replace: "  光伏: {match:", with: "  东财滚动新闻: {match:",
                      line: 26, keyPath: "topics.东财滚动新闻", message: "already a source's category"),
        ConfigMistake(description: "topic slug not usable", replace: "slug: bse", with: "slug: all",
                      line: 29, keyPath: "topics.北交所.slug", message: "not a usable slug"),
        ConfigMistake(description: "topic rule with a bad pattern", replace: "{link: \"^http:\"}", with: "{link: \"a{2,1}\"}",
                      line: 31, keyPath: "topics.北交所.rules[0].discard.link", message: "below the minimum"),
    ]

    @Test(arguments: mistakes)
    func mistake(_ m: ConfigMistake) {
        m.check(in: Self.valid)
    }
}

extension RuleConfigTests {
    /// Every rule and topic is read, so one pass reports all their mistakes, in file order.
    @Test func everyMistakeInRulesAndTopicsIsReported() {
        let broken = Self.valid
            .replacingOccurrences(of: "\"直播预告\"", with: "\"(直播)\\\\1\"")
            .replacingOccurrences(of: "replace: \"$1\"", with: "replace: \"$2\"")
            .replacingOccurrences(of: "光伏: {match:", with: "光伏: {mach:")
            .replacingOccurrences(of: "{link: \"^http:\"}", with: "{link: \"a{2,1}\"}")
        do {
            _ = try load(broken)
            Issue.record("no error")
        } catch {
            let all = [error] + error.others
            #expect(all.map(\.line) == [18, 8, 26, 31], "\(error)")
            #expect(all.map(\.keyPath) == ["rules[2].rewrite.title.replace", "sources[0].rules[0].discard.title",
                                           "topics.光伏.mach", "topics.北交所.rules[0].discard.link"])
            #expect(error.description.split(separator: "\n").count == 4)
        }
    }
}

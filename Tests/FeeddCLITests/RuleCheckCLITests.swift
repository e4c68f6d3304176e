import FeedTestSupport
import Foundation
import Testing

/// `feedd check` on rules and topics: each mistake exits 2 naming file, line and key.
@Suite("feedd check: rules and topics")
struct RuleCheckCLITests {
    static let source = "sources:\n  - name: x\n    type: json\n    url: http://127.0.0.1:9/x\n    list: record\n    category: 新华财经\n    fields: {id: infoCode, title: title}\n"

    @Test(arguments: [
        ("rules:\n  - discard: {title: '(a)\\1'}\n", "rules.yaml:9: rules[0].discard.title: '(a)\\1' is not a pattern feedd can match: backreferences"),
        ("rules:\n  - remove: {xpath: '//p[contains(.'}\n", "rules.yaml:9: rules[0].remove.xpath: '//p[contains(.' is not a valid XPath 1.0 expression"),
        ("topics:\n  光伏: {match: {txt: 光伏}}\n", "rules.yaml:9: topics.光伏.match.txt: unknown key 'txt'; did you mean 'text'?"),
    ])
    func mistake(_ yaml: String, _ message: String) async throws {
        let folder = TempFolder()
        defer { folder.remove() }
        let path = folder.write("rules.yaml", Self.source + yaml)
        let run = try await CLITests.feedd(["check", "--config", path])
        #expect(run.status == 2)
        #expect(run.err.contains(message), "\(run.err)")
    }

    @Test func reportsEveryMistakeInRulesAndTopics() async throws {
        let folder = TempFolder()
        defer { folder.remove() }
        let path = folder.write("rules.yaml", Self.source + "rules:\n  - discard: {title: '(?=x)'}\n  - keep_only: {titel: x}\ntopics:\n  光伏: {match: {text: '[光'}}\n")
        let run = try await CLITests.feedd(["check", "--config", path])
        #expect(run.status == 2)
        for message in ["rules.yaml:9: rules[0].discard.title: '(?=x)' is not a pattern feedd can match: lookahead",
                        "rules.yaml:10: rules[1].keep_only.titel: unknown key 'titel'",
                        "rules.yaml:12: topics.光伏.match.text: '[光' is not a pattern feedd can match: missing ']'"] {
            #expect(run.err.contains(message), "\(run.err)")
        }
    }

    @Test func printsTopicSlugs() async throws {
        let folder = TempFolder()
        defer { folder.remove() }
        let path = folder.write("rules.yaml", Self.source + "rules:\n  - remove: {xpath: \"//p[contains(., '责任编辑')]\"}\ntopics:\n  光伏: {match: {text: 光伏|太阳能}}\n  北交所: {match: {title: 北交所}, slug: bse}\n")
        let run = try await CLITests.feedd(["check", "--config", path])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("topic 光伏 → guangfu") && run.out.contains("topic 北交所 → bse"), "\(run.out)")
    }
}

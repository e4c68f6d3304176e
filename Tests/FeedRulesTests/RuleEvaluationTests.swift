import FeedRules
import Testing

/// Conditions and rule lists over one subject. The body editor here reads a
/// body that is already plain text (the pipeline's tests run the real one:
/// libxml2 and the normalizer).
@Suite struct RuleEvaluationTests {
    struct TextBody: BodyEditor {
        func plainText(ofNormalizedHTML html: String) -> String { html }
        func removing(xpath: String, from html: String) -> String { html }
    }

    func subject(title: String = "【快讯】北交所开市", text: String = "光伏组件出口增长") -> RuleSubject {
        RuleSubject(title: title, summary: "摘要", body: text, outlet: "新华财经", link: "https://example.com/a/1",
                    categories: ["新华财经", "要闻"], sources: ["market", "rolling"])
    }

    func condition(_ pairs: [(RuleField, String)]) throws -> Condition {
        Condition(clauses: try pairs.map { Condition.Clause(field: $0.0, pattern: try Pattern($0.1)) })
    }

    @Test func everyFieldOfAConditionMustMatch() throws {
        var s = subject()
        var exceeded: [BudgetExceeded] = []
        #expect(RuleEvaluation.holds(try condition([(.title, "北交所"), (.text, "光伏")]), for: &s, place: "t", editor: TextBody(), exceeded: &exceeded))
        #expect(!RuleEvaluation.holds(try condition([(.title, "北交所"), (.text, "煤炭")]), for: &s, place: "t", editor: TextBody(), exceeded: &exceeded))
        // category and source: any of the names.
        #expect(RuleEvaluation.holds(try condition([(.category, "^要闻$"), (.source, "^rolling$")]), for: &s, place: "t", editor: TextBody(), exceeded: &exceeded))
        #expect(!RuleEvaluation.holds(try condition([(.source, "^roll$")]), for: &s, place: "t", editor: TextBody(), exceeded: &exceeded))
        #expect(exceeded.isEmpty)
    }

    @Test func rulesRunInOrderOnWhatTheEarlierOnesLeft() throws {
        let rewrite = Rule(action: .rewrite(.title, try Pattern("^【(.+?)】"), try Replacement("$1：", groupCount: 1)), place: "r0")
        let discard = Rule(action: .discard(try condition([(.title, "^【")])), place: "r1")
        let keep = Rule(action: .keepOnly(try condition([(.title, "^快讯：")])), place: "r2")
        var s = subject()
        var exceeded: [BudgetExceeded] = []
        #expect(RuleEvaluation.apply([rewrite, discard, keep], to: &s, editor: TextBody(), exceeded: &exceeded))
        #expect(s.title == "快讯：北交所开市")
        var t = subject()
        #expect(!RuleEvaluation.apply([discard, rewrite], to: &t, editor: TextBody(), exceeded: &exceeded))
    }

    /// A hostile title that outruns the budget: reported, and counted as no match
    /// (so `discard` keeps the item and `keep_only` drops it).
    @Test func overBudgetIsNoMatchAndReported() throws {
        let hostile = String(repeating: "a", count: 3_000_000) + "!"
        let heavy = try Pattern("(.*a){8}$")
        var s = subject(title: hostile)
        var exceeded: [BudgetExceeded] = []
        let discard = Rule(action: .discard(Condition(clauses: [.init(field: .title, pattern: heavy)])), place: "config.yaml:3 rules[0]")
        #expect(RuleEvaluation.apply([discard], to: &s, editor: TextBody(), exceeded: &exceeded))
        #expect(exceeded == [BudgetExceeded(place: "config.yaml:3 rules[0]", pattern: heavy.description, field: "title")])
        let keep = Rule(action: .keepOnly(Condition(clauses: [.init(field: .title, pattern: heavy)])), place: "k")
        #expect(!RuleEvaluation.apply([keep], to: &s, editor: TextBody(), exceeded: &exceeded))
    }
}

import FeedChecks
import FeedTestSupport
import Foundation
import Testing
@testable import FeedNormalize

/// Random and mutated HTML, from a seeded generator: whatever comes in, the
/// normalizer returns (no crash), the output is a well-formed XML fragment
/// inside the allowlist with safe URLs, and normalizing it again gives the
/// same bytes. A failure reports the seed and the input.
@Suite("Properties over random and mutated HTML")
struct PropertyTests {
    /// FEEDD_PROPERTY_CASES raises the count for a longer fuzzing run.
    static let casesPerSeed = ProcessInfo.processInfo.environment["FEEDD_PROPERTY_CASES"].flatMap { Int($0) } ?? 1500
    static let seeds = ProcessInfo.processInfo.environment["FEEDD_PROPERTY_SEEDS"].flatMap { Int($0) } ?? 4
    static let seedBase = ProcessInfo.processInfo.environment["FEEDD_PROPERTY_SEED_BASE"].flatMap { Int($0) } ?? 0

    @Test(arguments: 0..<seeds) func randomDocuments(seed: Int) {
        var random = SeededGenerator(seed: 0xF33D_0000 &+ UInt64(seed &+ Self.seedBase))
        for _ in 0..<Self.casesPerSeed {
            let tokens = (0..<Int.random(in: 1...60, using: &random)).map { _ in RandomHTML.token(using: &random) }
            verify(tokens.joined(), seed: seed, using: &random)
        }
    }

    @Test(arguments: 0..<seeds) func nestedDocuments(seed: Int) {
        var random = SeededGenerator(seed: 0x7EE_0000 &+ UInt64(seed &+ Self.seedBase))
        for _ in 0..<Self.casesPerSeed / 2 {
            verify(RandomHTML.tree(depth: Int.random(in: 1...12, using: &random), using: &random), seed: seed, using: &random)
        }
    }

    @Test(arguments: 0..<seeds) func mutatedDocuments(seed: Int) throws {
        var random = SeededGenerator(seed: 0xBAD_0000 &+ UInt64(seed &+ Self.seedBase))
        let seeds = try RandomHTML.seedDocuments()
        for _ in 0..<Self.casesPerSeed {
            var scalars = Array(seeds.randomElement(using: &random)!.unicodeScalars)
            for _ in 0..<Int.random(in: 1...8, using: &random) { RandomHTML.mutate(&scalars, using: &random) }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            verify(text, seed: seed, using: &random)
        }
    }

    /// Past `Sanitizer.maxDepth` open elements, elements are unwrapped: the
    /// text stays, the nesting stops growing, and the output is a fixed point.
    @Test(arguments: ["b", "div", "blockquote"]) func deepContentKeepsItsText(tag: String) {
        let input = String(repeating: "<\(tag)>", count: 1000) + "深处的文字" + String(repeating: "</\(tag)>", count: 1000) + "<p>后</p>"
        let result = HTMLNormalizer.normalize(input, articleURL: nil)
        #expect(result.html.contains("深处的文字"))
        #expect(result.html.hasSuffix("<p>后</p>"))
        let opened = result.html.components(separatedBy: "<\(tag)>").count - 1
        #expect(opened > 200 && opened <= Sanitizer.maxDepth)
        #expect(sameBytes(HTMLNormalizer.normalize(result.html, articleURL: nil).html, result.html))
    }

    /// Pathological shapes: deep nesting (past the depth limit),
    /// text split into thousands of nodes, long runs of combining marks.
    @Test(arguments: [
        String(repeating: "<div>x", count: 300),
        String(repeating: "<b>", count: 2000) + "深",
        "<p>" + String(repeating: "e<font>\u{0301}</font>", count: 3000) + "</p>",
        "<p>" + String(repeating: "a<br>", count: 5000) + "</p>",
        "<p>" + String(repeating: "\u{0301}", count: 30) + "</p>",
        String(repeating: "<table><tr><td>", count: 200),
        String(repeating: "<p>（来源：新华社）</p>", count: 500),
    ]) func pathological(_ input: String) {
        var random = SeededGenerator(seed: 1)
        verify(input, seed: -1, using: &random)
    }

    private func verify(_ input: String, seed: Int, using random: inout SeededGenerator) {
        let articleURL = Bool.random(using: &random) ? "https://finance.example.cn/news/2024/a.html" : nil
        let result = HTMLNormalizer.normalize(input, articleURL: articleURL)
        let problems = OutputChecker.problems(in: result.html)
        #expect(problems == [], "seed \(seed), input: \(input.debugDescription)\noutput: \(result.html.debugDescription)")
        let again = HTMLNormalizer.normalize(result.html, articleURL: articleURL)
        #expect(sameBytes(again.html, result.html),
                "not idempotent, seed \(seed), input: \(input.debugDescription)\nfirst: \(result.html.debugDescription)\nsecond: \(again.html.debugDescription)")
        #expect(result.summary.count <= 200)
    }
}

/// Building blocks for random bodies: real tags with hostile and ordinary
/// attributes, Chinese and Latin text with every whitespace and character
/// the rules care about, and broken markup.
enum RandomHTML {
    static let tags = ["p", "div", "span", "b", "strong", "em", "i", "u", "a", "img", "br", "hr", "h1", "h3", "ul", "ol", "li",
                       "dl", "dt", "dd", "table", "thead", "tbody", "tr", "td", "th", "caption", "pre", "code", "blockquote",
                       "figure", "figcaption", "sup", "sub", "small", "q", "cite", "abbr", "time", "del", "ins",
                       "font", "center", "section", "article", "script", "style", "noscript", "iframe", "svg", "math",
                       "form", "input", "button", "select", "option", "textarea", "title", "template", "object", "embed",
                       "meta", "link", "base", "head", "body", "html", "xmp", "plaintext", "frameset", "my-tag", "svg:a"]
    static let attributeNames = ["href", "src", "data-src", "data-original", "data-lazy-src", "srcset", "title", "alt",
                                 "width", "height", "colspan", "rowspan", "start", "datetime", "class", "style",
                                 "onclick", "onerror", "onload", "srcdoc", "formaction", "xlink:href", "id", "target"]
    static let attributeValues = ["https://img.example.cn/a.jpg", "/rel/x.png", "b.html", "//cdn.example.cn/c.gif",
                                  "javascript:alert(1)", " JaVa\tScript:alert(1)", "jav&#x09;ascript:x", "\u{2028}javascript:x",
                                  "data:image/gif;base64,R0lGOD", "mailto:a@b.cn", "vbscript:x", "?q=1&amp;r=2", "#frag",
                                  "em_media", "x em_media", "1", "600", "100%", "0", "-3", "\"quoted\"", "a<b>c", "标题 &amp; 副题",
                                  "", "   ", "\u{0338}", "e\u{0301}", "http://x.cn/a b", "https:x", "\\\\evil.example"]
    static let texts = ["今年以来", "工商银行制造业贷款余额超过2万亿元", "，", "。", "“专精特新”", "abc", "Word ", " ",
                        "  ", "\r\n ", "\t", "\n", "　　", "&nbsp;", "\u{00A0}", "&amp;", "&lt;", "&gt;", "&quot;", "&#20013;",
                        "&#x41;", "&#0;", "&#xD800;", "&bogus;", "&", "<", ">", "\"", "'", "e\u{0301}", "\u{0301}", "\u{0338}",
                        "\u{1100}\u{1161}", "\u{F900}", "👩‍💻", "🇨🇳", "\u{01}", "\u{0B}", "\u{0C}", "\u{FFFE}", "\u{FFFF}",
                        "\u{2028}", "\u{FEFF}", "（文章来源：新华财经）", "(来源：新华社)", "来源：", "\u{0}"]
    static let junk = ["<!-- c -->", "<!-->", "<!--", "-->", "<?pi x?>", "<![CDATA[x]]>", "<!DOCTYPE html>", "</", "<",
                       "<p", "<a href=", "=\"", "'", "/>", "</>", "<//p>", "< p>", "<p/>", "</br>", "<br/>", "&#", "<%", "%>"]

    static func token(using random: inout SeededGenerator) -> String {
        switch Int.random(in: 0..<10, using: &random) {
        case 0..<4: return texts.randomElement(using: &random)!
        case 4..<7: return startTag(using: &random)
        case 7..<9: return "</\(tags.randomElement(using: &random)!)>"
        default: return junk.randomElement(using: &random)!
        }
    }

    static func startTag(using random: inout SeededGenerator) -> String {
        var tag = "<" + tags.randomElement(using: &random)!
        for _ in 0..<Int.random(in: 0...3, using: &random) {
            let name = attributeNames.randomElement(using: &random)!
            let value = attributeValues.randomElement(using: &random)!.replacingOccurrences(of: "\"", with: "&quot;")
            tag += Bool.random(using: &random) ? " \(name)=\"\(value)\"" : " \(name)"
        }
        return tag + (Int.random(in: 0..<8, using: &random) == 0 ? "/>" : ">")
    }

    /// A properly nested tree of random elements (kept, unwrapped and
    /// removed ones alike) with text between them.
    static func tree(depth: Int, using random: inout SeededGenerator) -> String {
        guard depth > 0 else { return texts.randomElement(using: &random)! }
        var html = ""
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let start = startTag(using: &random)
            let name = start.dropFirst().prefix { $0 != " " && $0 != ">" && $0 != "/" }
            html += texts.randomElement(using: &random)! + "<" + name + start.dropFirst(1 + name.count)
            html += tree(depth: depth - Int.random(in: 1...3, using: &random), using: &random)
            html += "</\(name)>"
        }
        return html
    }

    /// The golden sample, the XSS vectors and the rule inputs.
    static func seedDocuments() throws -> [String] {
        [try Fixtures.golden("sample-body.html")] + XSSVectorTests.vectors
            + AllowlistTests.cases.map(\.input) + URLTests.cases.map(\.input) + CleaningTests.cases.map(\.input)
    }

    /// One random edit: delete, duplicate, insert a token, or swap two spans.
    static func mutate(_ scalars: inout [Unicode.Scalar], using random: inout SeededGenerator) {
        func span() -> Range<Int> {
            guard !scalars.isEmpty else { return 0..<0 }
            let start = Int.random(in: 0..<scalars.count, using: &random)
            return start..<min(scalars.count, start + Int.random(in: 1...24, using: &random))
        }
        switch Int.random(in: 0..<4, using: &random) {
        case 0:
            scalars.removeSubrange(span())
        case 1:
            let piece = Array(scalars[span()])
            scalars.insert(contentsOf: piece, at: Int.random(in: 0...scalars.count, using: &random))
        case 2:
            scalars.insert(contentsOf: token(using: &random).unicodeScalars, at: Int.random(in: 0...scalars.count, using: &random))
        default:
            let a = span()
            let b = span()
            guard a.upperBound <= b.lowerBound else { return }
            let first = Array(scalars[a])
            let second = Array(scalars[b])
            scalars.replaceSubrange(b, with: first)
            scalars.replaceSubrange(a, with: second)
        }
    }
}

/// The benchmark corpus (`bench/normalize.sh` generates it), when
/// FEEDD_CORPUS points at it: every body passes the output checks and is
/// a fixed point. Skipped otherwise.
@Suite("Benchmark corpus")
struct CorpusTests {
    static let directory = ProcessInfo.processInfo.environment["FEEDD_CORPUS"]

    @Test(.enabled(if: directory != nil)) func everyBody() throws {
        let directory = try #require(Self.directory)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".html") }.sorted()
        #expect(!files.isEmpty)
        for file in files {
            let body = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            let result = HTMLNormalizer.normalize(body, articleURL: "https://finance.example.cn/a/\(file)")
            #expect(OutputChecker.problems(in: result.html) == [], "\(file)")
            #expect(sameBytes(HTMLNormalizer.normalize(result.html, articleURL: "https://finance.example.cn/a/\(file)").html, result.html), "\(file)")
            #expect(!result.html.contains("em_media") && !result.html.contains("文章来源"), "\(file)")
        }
    }
}

import FeedConfig
import FeedNormalize
import FeedTestSupport
import Foundation

/// The old site's sample post (`Fixtures/jekyll/`), cut into what is around
/// the article and the article, and the differences feedd makes on purpose.
enum JekyllSample {
    static let name = "2021-12-29-NW202112292229992448.md"
    static let code = "NW202112292229992448"
    static var text: String { Fixtures.text("jekyll/" + name) }
    /// The body upstream sends for the sample's article (`bodies.json`).
    static var upstreamBody: String {
        let bodies = try? JSONSerialization.jsonObject(with: Data(Fixtures.bytes("bodies.json"))) as? [String: String]
        return bodies?[code] ?? ""
    }

    /// A post as front matter (through its closing `---\n`), body, and the
    /// share link and back links after it (from the blank line on).
    struct Parts: Equatable {
        var head: String
        var body: String
        var tail: String
    }

    static func parts(_ post: String) -> Parts? {
        guard post.hasPrefix("---\n"),
              let close = post.range(of: "\n---\n", range: post.index(post.startIndex, offsetBy: 3)..<post.endIndex),
              let share = post.range(of: "\n\n<", options: .backwards) else { return nil }
        return Parts(head: String(post[..<close.upperBound]), body: String(post[close.upperBound..<share.lowerBound]),
                     tail: String(post[share.lowerBound...]))
    }

    /// What feedd's normalizer deliberately changes in a body, compared with
    /// the old script's posts, each as the change it makes. The post feedd
    /// writes for an article equals the old post once both bodies are put
    /// through these; nothing else may differ.
    static let normalizerDifferences: [(why: String, pattern: String, template: String)] = [
        ("Paragraphs lose the full-width spaces (　　) upstream indents them with: indentation is the stylesheet's job.",
         #"(<p[^>]*>)[\x{3000}\s]+"#, "$1"),
        ("No line break or space between paragraphs: upstream's `</p>\r\n <p>` (`\n ` in the old posts) becomes `</p><p>`.",
         #"</p>\s+<p"#, "</p><p"),
        ("The trailing `<p class=\"em_media\">（文章来源：X）</p>` is removed; X becomes the item's outlet (the post's tag, the feeds' author).",
         #"<p class="em_media">（文章来源：[^<]*）</p>"#, ""),
    ]

    /// `html` with every documented difference applied.
    static func withNormalizerDifferences(_ html: String) -> String {
        normalizerDifferences.reduce(html) { text, difference in
            text.replacingOccurrences(of: difference.pattern, with: difference.template, options: .regularExpression)
        }
    }

    /// The old post with its body replaced by what the normalizer makes of it: what importing the post and writing it again gives.
    static func rewritten(_ post: String) -> String? {
        guard let p = parts(post) else { return nil }
        let body = HTMLNormalizer.normalize(p.body, articleURL: nil).html.trimmingCharacters(in: .whitespacesAndNewlines)
        return p.head + body + p.tail
    }
}

extension PipelineHarness {
    /// The harness's config with a `jekyll:` section writing to `site/` in the temp folder.
    func jekyllConfig(_ sources: [String] = ["market", "media", "rolling"], keepDays: Int = 3, archive: Bool = true) throws -> Config {
        var yaml = api.config(storage: folder.file("data/feedd.sqlite"), output: output, sources: sources)
        yaml += "jekyll:\n  posts: site/_posts\n  keep_days: \(keepDays)\n  site_url: //finews.withounder.com/\n"
        if archive { yaml += "  archive: site/old_post\n" }
        return try ConfigLoader.parse(yaml: yaml, file: "test.yaml", baseDirectory: folder.path)
    }

    var posts: String { folder.file("site/_posts") }
    var archive: String { folder.file("site/old_post") }

    func files(in path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    func text(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Instants as Beijing wall-clock time.
func beijing(_ text: String) -> Date {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "Asia/Shanghai")
    f.dateFormat = "yyyy-MM-dd HH:mm:ss"
    guard let date = f.date(from: text) else { preconditionFailure("test date \(text)") }
    return date
}

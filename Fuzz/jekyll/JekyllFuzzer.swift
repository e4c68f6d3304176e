import FeedModel
import FeedNormalize
import FeedPipeline
import FeedRender
import Foundation
import FuzzDriver

/// The Jekyll post reader (`feedd import jekyll`) over arbitrary text.
///
/// What must hold: a post is read or refused with a problem naming the file
/// and, when it gives one, a line that exists; a post read and written again
/// by `JekyllPost` reads back with the same info code, title and date (to
/// the second, which is what a post carries).
@main enum JekyllFuzzer {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let template = "http://finews.zning.xyz/html_News/NewsShare.html?infoCode={id}"
    static let reader = JekyllPostReader(shareLink: template, timezone: zone)
    static let site = JekyllSite(url: "//finews.withounder.com/", shareLink: template, timezone: zone)
    static let category = Category(name: "新华财经", slug: Slug(validating: "xinhuacaijing")!)
    static let paths = ["/site/_posts/2021-12-29-NW202112292229992448.md", "/site/_posts/welcome.md"]

    static func main() {
        FuzzDriver.main { input in
            let text = String(decoding: input, as: UTF8.self)
            let path = paths[input.count % paths.count]
            let context = "path: \(path)\ninput: \(text.debugDescription)"
            let post: JekyllPostFile
            do throws(JekyllImportProblem) {
                post = try reader.parse(text, path: path)
            } catch {
                let lines = text.reduce(1) { $1.isNewline ? $0 + 1 : $0 } // every line break YAML knows (and a few more)
                FuzzCheck.expect(error.file == path && !error.message.isEmpty, "a problem not naming the file: \(error)\n\(context)")
                if let line = error.line {
                    FuzzCheck.expect(line >= 1 && line <= lines, "line \(line) of a \(lines)-line file: \(error)\n\(context)")
                }
                return
            }
            // As `feedd import jekyll` does: the body is stored (and written again) as the normalizer leaves it.
            let body = HTMLFragment(normalized: HTMLNormalizer.normalize(post.body, articleURL: nil).html)
            let written = JekyllPost(infoCode: post.infoCode, title: post.title, date: post.date, category: category, body: body)
            let rendered = written.render(for: site)
            let again: JekyllPostFile
            do {
                again = try reader.parse(rendered, path: "/site/_posts/" + written.fileName(in: zone))
            } catch {
                FuzzCheck.fail("a post read and written again cannot be read: \(error)\n\(context)\nwritten: \(rendered.debugDescription)")
            }
            FuzzCheck.expect(again.infoCode == post.infoCode, "info code \(post.infoCode) came back as \(again.infoCode)\n\(context)")
            FuzzCheck.expect(again.title == post.title, "title \(post.title.debugDescription) came back as \(again.title.debugDescription)\n\(context)")
            let second = post.date.timeIntervalSince1970.rounded(.down)
            FuzzCheck.expect(again.date.timeIntervalSince1970 == second, "date \(post.date) came back as \(again.date)\n\(context)")
        }
    }
}

import FeedConfig
import FeedModel
import FeedPipeline
import FeedStore
import FeedTestSupport
import Foundation
import Testing

/// Issue 10 §1, tested the way a reader reads: a fixture run whose upstream
/// carries the XSS suite's strings in every field (title, digest, body,
/// outlet, category, link), then every output field decoded from XML and,
/// where it bears HTML, parsed as HTML by libxml2 and held to the allowlist;
/// where it is plain text, read back as exactly the text that was stored.
@Suite("Reader safety: hostile strings in every upstream field")
struct ReaderSafetyTests {
    static let now = beijing("2021-12-29 18:00:00")

    /// The list (one record per vector) and the bodies, as the rolling list's shape serves them.
    final class HostileUpstream: Sendable {
        let server: FixtureServer
        let codes: [String]

        init() throws {
            let vectors = XSSVectors.all
            let codes = vectors.indices.map { "NW2021122922299" + String(format: "%05d", $0) }
            var records: [[String: String]] = []
            var bodies: [String: String] = [:]
            for (i, vector) in vectors.enumerated() {
                // Escaped markup is the dangerous case for plain-text fields: its text *is* the vector.
                let escaped = vector.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                records.append([
                    "infoCode": codes[i], "title": vector, "showtime": "2021-12-29 15:\(String(format: "%02d", i % 60)):00",
                    "digest": i % 2 == 0 ? escaped : vector,
                    "url_w": i % 2 == 0 ? vector : "javascript:alert(\(i))//https://ok.example.cn/",
                    "medianame": i % 2 == 0 ? vector : "东财" + vector,
                ])
                // The outlet is read from the body's source line, which takes a short name without
                // parentheses or colons: a short attack (escaped, so its text is markup), the vector, escaped or not.
                let outlets = ["&lt;img src=x onerror=alert`\(i)`&gt;", escaped, vector]
                // Every third body is empty: the content is then the summary, as text.
                bodies[codes[i]] = i % 3 == 0 ? "" : "<p>正文" + (i % 2 == 0 ? vector : escaped) + "</p><p>（文章来源：" + outlets[(i / 3) % 3] + "）</p>"
            }
            let list = try JSONSerialization.data(withJSONObject: ["records": records])
            let served = bodies
            server = try FixtureServer(routes: ["/list": .file([UInt8](list), contentType: "application/json")]) { request in
                guard let id = URLComponents(string: request.target)?.queryItems?.first(where: { $0.name == "id" })?.value,
                      let body = served[id] else { return .notFound }
                return .file([UInt8](try! JSONSerialization.data(withJSONObject: ["text": body])), contentType: "application/json")
            }
            self.codes = codes
        }
    }

    @Test("RSS, Atom, the site pages, OPML and Jekyll posts: no element, attribute or URL outside the allowlist")
    func everyOutputField() async throws {
        let upstream = try HostileUpstream()
        let folder = TempFolder()
        defer { upstream.server.stop(); folder.remove() }
        let base = upstream.server.baseURL
        let yaml = """
            site: {title: 财经新闻, url: "http://localhost:8080/", language: zh-CN, timezone: Asia/Shanghai}
            storage: data/feedd.sqlite
            output: public
            feeds: {items: 500}
            poll: {interval: 60s, concurrency: 4, timeout: 5s, max_body: 1MB, user_agent: feedd-test/1}
            sources:
              - name: hostile
                type: json
                url: \(base)/list
                list: records
                fields: {id: infoCode, title: title, date: showtime, summary: digest, link: url_w, category: medianame}
                body: {url: "\(base)/body?id={id}", field: text}
            jekyll: {posts: site/_posts, keep_days: 3, site_url: "//finews.withounder.com/"}

            """
        let config = try ConfigLoader.parse(yaml: yaml, file: "test.yaml", baseDirectory: folder.path)
        let pipeline = try await PipelineHarness.quietPipeline(config, now: { Self.now })
        let report = await pipeline.refresh(config.sources)
        #expect(report.renderErrors == [], "\(report.sources.map(\.line))")

        let store = pipeline.store
        var items: [String: Item] = [:]
        for code in upstream.codes {
            items[code] = try #require(try await store.item(InfoCode(code)!), "\(code) was not stored")
        }
        // The run really carried hostile text in every field (else the checks below prove nothing).
        let all = Array(items.values)
        #expect(all.filter { $0.title.contains("<") }.count > 100)
        #expect(all.filter { $0.summary.contains("<") }.count > 50)
        #expect(all.filter { $0.body.isEmpty }.count > 30)
        #expect(all.filter { $0.categories.contains { $0.name.contains("<") } }.count > 100)
        #expect(all.filter { $0.outlet?.contains("<") ?? false }.count > 10)
        #expect(all.filter { $0.link?.lowercased().hasPrefix("javascript:") ?? false }.count > 50)

        let output = folder.file("public")
        let slugs = try FileManager.default.contentsOfDirectory(atPath: output).filter { !$0.contains(".") }.sorted()
        #expect(slugs.count > 100)
        var problems: [String] = []
        for slug in slugs {
            problems += try rssProblems(output + "/\(slug)/rss.xml", items)
            problems += try atomProblems(output + "/\(slug)/atom.xml", items)
        }
        problems += try await indexProblems(output + "/index.html", store, items)
        problems += try pageProblems(output, slugs, items)
        problems += try await opmlProblems(output + "/opml.xml", store)
        problems += try postProblems(folder.file("site/_posts"), items)
        #expect(problems == [], "\(problems.prefix(20).joined(separator: "\n"))")
    }

    func document(_ path: String) throws -> XMLDocumentBox {
        try XMLCheck.parse([UInt8](FileManager.default.contents(atPath: path) ?? Data())).get()
    }

    /// An HTML-bearing field: parsed as HTML, within the allowlist.
    func html(_ value: String, _ field: String) -> [String] { ReaderCheck.problems(html: value, field: field) }

    /// A plain-text field: the reader shows exactly the stored text.
    func plain(_ value: String?, _ expected: String?, _ field: String) -> [String] {
        value == expected ? [] : ["\(field): reads \(value.debugDescription), stored \(expected.debugDescription)"]
    }

    /// What a reader shows of an item's content; in `all/` without the line naming a story's other
    /// outlets (`同时刊发：…`, made from their names as plain text), which the story tests pin down.
    func shownContent(_ html: String, _ path: String) -> String {
        withoutStoryLine(ReaderCheck.shownText(html: html), path)
    }

    func withoutStoryLine(_ shown: String, _ path: String) -> String {
        guard path.contains("/all/"), // all/'s feeds and pages
              let line = shown.range(of: "\n同时刊发：", options: .backwards) ?? shown.range(of: "同时刊发：", options: .backwards)
        else { return shown }
        return String(shown[..<line.lowerBound])
    }

    func link(_ value: String, _ field: String) -> [String] {
        ReaderCheck.urlProblem(value, attribute: "href").map { ["\(field) \(value): \($0)"] } ?? []
    }

    /// An Atom text construct that holds plain text: as text, or (type="html") as HTML that shows exactly it.
    func atomText(_ doc: XMLDocumentBox, _ path: String, _ expected: String, _ field: String) -> [String] {
        let value = doc.strings(path).first ?? ""
        switch doc.strings(path + "/@type").first {
        case "text": return plain(value, expected, field)
        case "html": return html(value, field) + plain(ReaderCheck.shownText(html: value), expected, field + " as shown")
        case let type: return ["\(field): type \(type.debugDescription)"]
        }
    }

    func rssProblems(_ path: String, _ items: [String: Item]) throws -> [String] {
        let doc = try document(path)
        var problems: [String] = []
        let guids = doc.strings("/rss/channel/item/guid")
        for guid in guids {
            let item = try #require(items[guid])
            let at = "\(path) item \(guid)"
            let q = "/rss/channel/item[guid='\(guid)']"
            problems += plain(doc.strings(q + "/title").first, item.title, at + " title")
            problems += plain(doc.strings(q + "/dc:creator").first, item.outlet, at + " dc:creator")
            problems += plain(doc.strings(q + "/category").joined(separator: "|"),
                              item.categories.map(\.name).joined(separator: "|"), at + " category")
            let description = doc.strings(q + "/description").first ?? ""
            problems += html(description, at + " description")
            // A plain-text summary in an HTML field shows as itself, with no element.
            problems += plain(ReaderCheck.shownText(html: description), item.summary, at + " description as shown")
            let content = doc.strings(q + "/content:encoded").first ?? ""
            problems += html(content, at + " content:encoded")
            if item.body.isEmpty { problems += plain(shownContent(content, path), item.summary, at + " content as shown") }
            problems += doc.strings(q + "/link").flatMap { link($0, at + " link") }
        }
        problems += plain(String(guids.count), String(doc.count("/rss/channel/item")), path + " items with a guid")
        problems += doc.strings("/rss/channel/link | /rss/channel/atom:link/@href").flatMap { link($0, path + " channel link") }
        return problems
    }

    func atomProblems(_ path: String, _ items: [String: Item]) throws -> [String] {
        let doc = try document(path)
        var problems: [String] = []
        let ids = doc.strings("/atom:feed/atom:entry/atom:id")
        for id in ids {
            let code = String(id.split(separator: "/").last ?? "")
            let item = try #require(items[code])
            let at = "\(path) entry \(code)"
            let q = "/atom:feed/atom:entry[atom:id='\(id)']"
            problems += atomText(doc, q + "/atom:title", item.title, at + " title")
            problems += plain(doc.strings(q + "/atom:author/atom:name").first, item.outlet, at + " author")
            // A name holding an end tag gets no label (an attribute cannot declare markup); the term stands.
            let labelled = item.categories.map(\.name).filter { $0.firstMatch(of: /<\/[A-Za-z]/) == nil }
            problems += plain(doc.strings(q + "/atom:category/@label").joined(separator: "|"),
                              labelled.joined(separator: "|"), at + " category label")
            problems += plain(String(doc.count(q + "/atom:category")), String(item.categories.count), at + " categories")
            let noContent = item.contentHTML.isEmpty
            if !item.summary.isEmpty {
                problems += atomText(doc, q + "/atom:summary", item.summary, at + " summary")
            } else if noContent {
                problems += atomText(doc, q + "/atom:summary", item.title, at + " summary (the title)")
            }
            problems += plain(String(doc.count(q + "/atom:summary")), item.summary.isEmpty && !noContent ? "0" : "1",
                              at + " summaries")
            let content = doc.strings(q + "/atom:content[@type='html']").first ?? ""
            problems += html(content, at + " content")
            if item.body.isEmpty { problems += plain(shownContent(content, path), item.summary, at + " content as shown") }
            problems += doc.strings(q + "/atom:link/@href").flatMap { link($0, at + " link") }
        }
        problems += doc.strings("/atom:feed/atom:link/@href").flatMap { link($0, path + " feed link") }
        return problems
    }

    func indexProblems(_ path: String, _ store: any Store, _ items: [String: Item]) async throws -> [String] {
        let bytes = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
        let page = String(decoding: bytes, as: UTF8.self)
        var problems = ReaderCheck.problems(html: page, field: path, allowlist: ReaderCheck.pageAllowlist, relativeLinks: true)
        // Every category's name is on the page as text, exactly.
        let shown = ReaderCheck.shownText(html: page)
        for summary in try await store.categories() where !shown.contains(summary.category.name) {
            problems.append("\(path): the name \(summary.category.name.debugDescription) is not shown as text")
        }
        // Every headline reads as its item's title, exactly, and links to the item's page.
        let doc = try XMLCheck.parse(bytes).get()
        let links = doc.strings("//ol[@class='headlines']/li/a/@href")
        #expect(links.count > 100, "\(path): \(links.count) headlines")
        for (i, href) in links.enumerated() {
            let code = String(href.split(separator: "/").last?.dropLast(5) ?? "")
            guard let item = items[code] else { problems.append("\(path): headline \(href) names no item"); continue }
            problems += plain(doc.strings("(//ol[@class='headlines']/li/a)[\(i + 1)]").first, item.title, path + " headline " + href)
        }
        return problems
    }

    /// Every category page and article page: within the pages' allowlist (an article's body within the
    /// normalizer's), titles and outlets shown exactly as stored, and every item with a page.
    func pageProblems(_ output: String, _ slugs: [String], _ items: [String: Item]) throws -> [String] {
        var problems: [String] = []
        var articles = 0
        for slug in slugs {
            let folder = output + "/" + slug
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".html") {
                let path = folder + "/" + name
                let bytes = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
                let page = String(decoding: bytes, as: UTF8.self)
                let doc = try XMLCheck.parse(bytes).get() // well-formed, whatever upstream sent
                if name == "index.html" {
                    problems += ReaderCheck.problems(html: page, field: path, allowlist: ReaderCheck.pageAllowlist, relativeLinks: true)
                    for href in doc.strings("//li[@class='item']/h2/a/@href") {
                        guard let item = items[String(href.dropLast(5))] else { problems.append("\(path): \(href) names no item"); continue }
                        let li = "//li[@class='item'][h2/a/@href='\(href)']"
                        problems += plain(doc.strings(li + "/h2/a").first, item.title, path + " title of " + href)
                        problems += plain(doc.strings(li + "/p[@class='summary']").first, item.summary.isEmpty ? nil : item.summary,
                                          path + " summary of " + href)
                    }
                    continue
                }
                articles += 1
                guard let item = items[String(name.dropLast(5))] else { problems.append("\(path): names no item"); continue }
                problems += ReaderCheck.problems(html: page, field: path, allowlist: ReaderCheck.articleAllowlist, relativeLinks: true)
                problems += plain(doc.strings("//article/h1").first, item.title, path + " h1")
                problems += plain(doc.strings("//article/p[@class='meta']/span[@class='outlet']").first,
                                  item.outlet?.isEmpty == false ? item.outlet : nil, path + " outlet")
                if item.body.isEmpty {
                    problems += plain(doc.strings("//article/div[@class='body']").first.map { withoutStoryLine($0, path) }?.trimmingCharacters(in: .whitespacesAndNewlines),
                                      item.summary.trimmingCharacters(in: .whitespacesAndNewlines), path + " summary as the body")
                }
            }
        }
        for (code, item) in items where !item.categories.contains(where: {
            FileManager.default.fileExists(atPath: output + "/" + $0.slug.rawValue + "/" + code + ".html")
        }) {
            problems.append("\(code) has no page in its categories' folders")
        }
        #expect(articles >= items.count)
        return problems
    }

    func opmlProblems(_ path: String, _ store: any Store) async throws -> [String] {
        let doc = try document(path)
        var problems: [String] = []
        let expected = ["财经新闻"] + (try await store.categories()).map { "\($0.category.name) - 财经新闻" }
        problems += plain(doc.strings("/opml/body/outline/@text").sorted().joined(separator: "|"),
                          expected.sorted().joined(separator: "|"), path + " outline text")
        problems += plain(doc.strings("/opml/body/outline/@title").sorted().joined(separator: "|"),
                          expected.sorted().joined(separator: "|"), path + " outline title")
        for url in doc.strings("/opml/body/outline/@xmlUrl | /opml/body/outline/@htmlUrl") {
            problems += ReaderCheck.urlProblem(url, attribute: "xmlurl").map { ["\(path) \(url): \($0)"] } ?? []
        }
        return problems
    }

    /// A post is Markdown that Jekyll turns into HTML: kramdown passes HTML
    /// through, so the body (with the back links) is read as HTML; the
    /// share link, a Markdown autolink `<http…>` alone on its line, is checked as a URL.
    func postProblems(_ folder: String, _ items: [String: Item]) throws -> [String] {
        var problems: [String] = []
        let reader = JekyllPostReader(shareLink: "http://finews.zning.xyz/html_News/NewsShare.html?infoCode={id}",
                                      timezone: TimeZone(identifier: "Asia/Shanghai")!)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".md") }
        problems += plain(String(names.count), String(items.count), folder + " posts")
        for name in names {
            let path = folder + "/" + name
            let text = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
            let post = try reader.parse(text, path: path)
            let item = try #require(items[post.infoCode.rawValue], "\(name)")
            problems += plain(post.title, item.title, path + " title")
            let parts = text.components(separatedBy: "\n---\n")
            let lines = parts.dropFirst().joined(separator: "\n---\n").split(separator: "\n", omittingEmptySubsequences: false)
            var html: [Substring] = []
            for line in lines {
                if line.hasPrefix("<http") && line.hasSuffix(">") {
                    problems += link(String(line.dropFirst().dropLast()), path + " share link")
                } else {
                    html.append(line)
                }
            }
            problems += ReaderCheck.problems(html: html.joined(separator: "\n"), field: path + " body")
        }
        return problems
    }
}

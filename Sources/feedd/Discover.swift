import ArgumentParser
import FeedConfig
import FeedFetch
import FeedModel
import FeedPipeline
import FeedRender
import FeedSources
import Foundation

extension Feedd {
    /// Finds the feeds at an address and prints a `sources:` entry for each.
    struct Discover: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find the feeds a page announces (or recognise a feed or JSON list) and print sources: entries.",
            discussion: "Paste the entries under `sources:` in config.yaml, check them with `feedd preview --source NAME`. "
                + "Exit 0 when something was found, 1 when not."
        )

        @Argument(help: "The page, feed or JSON list to look at (http, https or file).")
        var url: String

        @OptionGroup var options: ConfigOption

        func run() async throws {
            // The config is optional here: its `poll:` settings (user agent, timeouts) when it exists.
            let poll = FileManager.default.fileExists(atPath: options.config) ? try options.load().poll : .defaults
            let found: [DiscoveredSource]
            do {
                found = try await Discovery(client: HTTPClient(poll: poll)).discover(url)
            } catch {
                FileHandle.standardError.write(Data("feedd: \(error)\n".utf8))
                throw ExitCode(1)
            }
            print("# \(found.count == 1 ? "1 source" : "\(found.count) sources") found at \(url); paste under `sources:`")
            var names = Set<String>()
            for source in found { print(SourceEntry(source, names: &names).yaml) }
        }
    }
}

/// A ready-to-paste `sources:` entry: a unique name from the URL, the kind's
/// keys, and a category guessed from the feed's title.
struct SourceEntry {
    let source: DiscoveredSource
    let name: String

    init(_ source: DiscoveredSource, names: inout Set<String>) {
        self.source = source
        let base = Self.name(from: source.url)
        var name = base
        var n = 2
        while !names.insert(name).inserted { name = "\(base)-\(n)"; n += 1 }
        self.name = name
    }

    var yaml: String {
        let q = { (s: String) in JekyllPost.yamlQuoted(s) }
        var lines = ["  - name: \(name)"]
        let category = source.title.flatMap(Self.category(fromTitle:))
        switch source.kind {
        case .feed(let format):
            let now = source.unreadable.map { "announced by the page; \(Self.commentText($0))" } ?? "\(source.items) items now"
            lines += ["    type: feed                 # \(format.rawValue), \(now)",
                      "    url: \(q(source.url))"]
            lines.append(category.map { "    category: \(q($0))    # guessed from the feed's title" }
                ?? "    category_from: item        # the items' own categories (the feed has no title to guess from)")
        case .jsonList(let list, let f):
            lines += ["    type: json                 # a JSON list of \(source.items) records",
                      "    url: \(q(source.url))",
                      "    list: \(q(list))"]
            var fields = ["id: \(q(f.id))", "title: \(q(f.title))"]
            if let date = f.date { fields.append("date: \(q(date))") }
            if let c = f.category { fields.append("category: \(q(c))") }
            if let s = f.summary { fields.append("summary: \(q(s))") }
            if let l = f.link { fields.append("link: \(q(l))") }
            lines.append("    fields: {\(fields.joined(separator: ", "))}")
            if f.category == nil {
                lines.append("    category: \(q(Self.name(from: source.url)))    # no category field found: name one")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Upstream text for a YAML comment: one line (YAML breaks lines at NEL, LS and PS too), no control characters.
    static func commentText(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: " "
            default: scalar
            }
        }))
    }

    /// The feed's title without a site suffix (`新华财经 - 新华网` → `新华财经`).
    static func category(fromTitle title: String) -> String? {
        var t = title.trimmingCharacters(in: .whitespacesAndNewlines)
        for separator in [" - ", " | ", " – ", "_", "｜", " — "] {
            if let range = t.range(of: separator), range.lowerBound != t.startIndex {
                t = String(t[..<range.lowerBound]).trimmingCharacters(in: .whitespaces)
            }
        }
        t = t.split(whereSeparator: \.isNewline).joined(separator: " ")
        return t.isEmpty ? nil : String(t.prefix(60))
    }

    /// `https://www.example.com/news/rss.xml` → `example-news-rss`; `http://10.0.0.1/webapi/market` → `webapi-market`:
    /// the host's first real label, then the last words of the path and query.
    static func name(from url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] } else if rest.hasPrefix("file:") { rest = rest.dropFirst(5) }
        let hostEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let filler: Set<String> = ["www", "com", "cn", "net", "org", "xml", "html", "htm", "php", "json", "aspx", "index"]
        let words = { (s: Substring) in
            s.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }.map { $0.lowercased() }.filter { !filler.contains($0) }
        }
        let host = words(rest[..<hostEnd].split(separator: ":").first ?? "").first { !$0.allSatisfy(\.isNumber) }
        let path = words(rest[hostEnd...]).suffix(3)
        let name = ((host.map { [$0] } ?? []) + path).joined(separator: "-")
        return name.isEmpty ? "source" : name
    }
}

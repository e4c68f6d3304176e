import FeedChecks
import FeedConfig
import FeedFetch
import FeedModel
@testable import FeedSources
import Foundation
import FuzzDriver

/// The feed reader over arbitrary bytes (RSS, RDF, Atom, JSON Feed: the
/// format is detected), as a `type: feed` source reads a poll's answer, then
/// once more straight through libxml2's recovery mode.
///
/// What must hold: a document is either read or refused with a
/// `SourceError.malformed` naming the source and URL; every item read has an
/// info code, a non-empty title and at least one category; every text field
/// read from XML is one XML can carry; nothing read is lost (items + skipped =
/// entries).
///
/// The HTTP charset, chosen by the input's length, is none, UTF-8, GBK or
/// Big5; `category_from: item` and an `id` pattern alternate the same way.
@main enum FeedFuzzer {
    static let url = "https://news.example.cn/rss/finance.xml"
    static let contentTypes: [String?] = [nil, "application/rss+xml; charset=utf-8", "text/xml; charset=gbk",
                                          "application/xml; charset=big5", "application/feed+json"]

    static func main() {
        let sources = [source(extra: ""), source(extra: "    category_from: item\n    id: 'NW(\\d{18})'\n")]
        FuzzDriver.main { input in
            let contentType = contentTypes[input.count % contentTypes.count]
            let source = sources[input.count % sources.count]
            let context = "content type: \(contentType ?? "none")\ninput: \(String(decoding: input, as: UTF8.self).debugDescription)"
            do throws(SourceError) {
                let reading = try source.read(input, url: url, contentType: contentType)
                let feed = try? FeedParser.parse(input, url: url, contentType: contentType)
                // JSON strings may hold any control character; the writers drop what XML cannot carry.
                check(reading, xmlText: feed.map { $0.format != .jsonFeed } ?? true, context: context)
                if let feed {
                    FuzzCheck.expect(reading.items.count + reading.skipped == feed.entries.count,
                                     "\(feed.entries.count) entries, \(reading.items.count) items and \(reading.skipped) skipped\n\(context)")
                }
            } catch {
                guard case .malformed(let name, let at, let message) = error, name == "fuzz", at == url, !message.isEmpty else {
                    FuzzCheck.fail("unexpected error \(error)\n\(context)")
                }
            }
            // Recovery mode on every input, also those the strict reader takes.
            if let recovered = try? FeedParser.recover(XMLRepair.repair(input), url: url, line: 1, message: "fuzz") {
                for entry in recovered.entries { check(entry, context: context) }
            }
        }
    }

    static func check(_ reading: ListReading, xmlText: Bool, context: String) {
        for item in reading.items {
            FuzzCheck.expect(InfoCode(item.infoCode.rawValue) == item.infoCode, "info code \(item.infoCode.rawValue.debugDescription) is not trimmed\n\(context)")
            FuzzCheck.expect(!item.title.isEmpty, "an item without a title\n\(context)")
            FuzzCheck.expect(!item.categoryNames.isEmpty, "an item without a category\n\(context)")
            guard xmlText else { continue }
            var problems = TextChecks.forbiddenCharacters(in: item.infoCode.rawValue, named: "info code")
                + TextChecks.forbiddenCharacters(in: item.title, named: "title")
                + TextChecks.forbiddenCharacters(in: item.link ?? "", named: "link")
                + TextChecks.forbiddenCharacters(in: item.summary ?? "", named: "summary")
            for name in item.categoryNames { problems += TextChecks.forbiddenCharacters(in: name, named: "category") }
            FuzzCheck.expect(problems, context)
        }
        for warning in reading.warnings {
            FuzzCheck.expect(warning.hasPrefix("source 'fuzz'"), "a warning not naming its source: \(warning)\n\(context)")
        }
    }

    static func check(_ entry: FeedEntry, context: String) {
        var problems: [String] = []
        for (name, value) in [("id", entry.id), ("title", entry.title), ("link", entry.link), ("date", entry.date)] {
            problems += TextChecks.forbiddenCharacters(in: value ?? "", named: "recovered \(name)")
        }
        FuzzCheck.expect(problems, context)
    }

    /// A `type: feed` source as the config loader makes it.
    static func source(extra: String) -> FeedSource {
        let yaml = """
        sources:
          - name: fuzz
            type: feed
            url: \(url)
            category: 新华财经
        \(extra)
        """
        do {
            let config = try ConfigLoader.parse(yaml: yaml, file: "fuzz.yaml", baseDirectory: "/tmp")
            guard let source = config.sources.first, case .feed(let settings) = source.kind else { fatalError("no feed source") }
            return FeedSource(config: source, settings: settings, client: HTTPClient(settings: FetchSettings()),
                              dates: DateParser(zone: config.site.timezone))
        } catch {
            fatalError("the fuzz target's own config is invalid: \(error)")
        }
    }
}

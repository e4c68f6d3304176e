import ArgumentParser
import FeedConfig
import FeedPipeline
import Foundation

extension Feedd {
    /// Polls one configured source now and prints what feedd would take,
    /// storing nothing: how a user checks a new source's mapping or XPath.
    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Poll one source now and print what feedd would take from it; stores nothing.",
            discussion: "Exit 0 when the source was read, 1 when it failed (the reason is printed), 2 on a config error."
        )

        @OptionGroup var options: ConfigOption

        @Option(name: .long, help: "The configured source to poll (its `name`).")
        var source: String

        @Option(name: .long, help: "Show at most this many items (their bodies are fetched).")
        var limit: Int = 20

        @Option(name: .long, help: "Characters of each normalized body to show.")
        var bodyChars: Int = 160

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
            guard bodyChars >= 0 else { throw ValidationError("--body-chars cannot be negative") }
        }

        func run() async throws {
            let config = try options.load()
            _ = options.makeLogger()
            guard let chosen = config.sources.first(where: { $0.name == source }) else {
                let names = config.sources.map(\.name).joined(separator: ", ")
                FileHandle.standardError.write(Data("feedd: no source named '\(source)' in \(config.file) (sources: \(names))\n".utf8))
                throw ExitCode(2)
            }
            let outcome: SourcePreview.Outcome
            do {
                outcome = try await SourcePreview(config: config).run(chosen, limit: limit)
            } catch {
                print("\(chosen.name): failed: \(error)")
                throw ExitCode(1)
            }
            print(PreviewText(site: config.site, bodyChars: bodyChars).render(outcome), terminator: "")
        }
    }
}

/// The preview as a person reads it: one block per item, then the warnings.
struct PreviewText {
    let site: Config.Site
    let bodyChars: Int

    func render(_ outcome: SourcePreview.Outcome) -> String {
        var out = "\(outcome.source): \(outcome.url)\n"
        for item in outcome.items {
            out += "\n\(item.infoCode.rawValue)  \(oneLine(item.title))\n"
            out += "  date:     \(date(item))\n"
            out += "  category: " + item.categories.map { "\($0.name) → \($0.slug.rawValue)" }.joined(separator: ", ") + "\n"
            switch item.body {
            case .success(let html):
                out += "  body:     " + (html.isEmpty ? "(empty)" : oneLine(String(html.prefix(bodyChars))) + (html.count > bodyChars ? "…" : "")) + "\n"
            case .failure(let error):
                out += "  body:     not fetched: \(error)\n"
            }
            if !item.summary.isEmpty { out += "  summary:  \(oneLine(String(item.summary.prefix(bodyChars))))\n" }
        }
        out += "\n"
        for warning in outcome.warnings { out += "warning: \(warning)\n" }
        let skipped = outcome.skipped == 0 ? "" : ", \(outcome.skipped) skipped"
        out += "\(outcome.items.count) items shown\(skipped); nothing stored\n"
        return out
    }

    private func date(_ item: SourcePreview.Item) -> String {
        guard let text = item.dateText else { return "none given; the time first seen will be used" }
        guard let published = item.published else { return "'\(oneLine(text))' is unreadable; the time first seen will be used" }
        let format = ISO8601DateFormatter()
        format.timeZone = site.timezone
        format.formatOptions = [.withInternetDateTime]
        let zone = item.dateHadZone ? "zone from the date" : "no zone given: read in site.timezone \(site.timezone.identifier)"
        return "'\(oneLine(text))' → \(format.string(from: published)) (\(zone))"
    }

    private func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}

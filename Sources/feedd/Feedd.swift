import ArgumentParser

/// feedd: polls Chinese financial news APIs and feeds, normalizes and
/// deduplicates the articles, and writes RSS 2.0 and Atom feeds per outlet.
@main
struct Feedd: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "feedd",
        abstract: "Feed syndication daemon: JSON news APIs and feeds in, per-category RSS and Atom out.",
        version: version,
        subcommands: [Run.self, Refresh.self, Status.self, Check.self, Preview.self, Discover.self, Renormalize.self, Import.self,
                      Stories.self, Migrate.self]
    )
}

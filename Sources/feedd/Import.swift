import ArgumentParser
import FeedConfig
import FeedPipeline
import Foundation

extension Feedd {
    /// Takes history from the system feedd replaces.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import articles other systems published.",
            subcommands: [Jekyll.self]
        )
    }
}

extension Feedd.Import {
    /// `feedd import jekyll DIR…`: the old site's posts into the store, then the feeds.
    struct Jekyll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import the posts of the old Jekyll site, then write the feeds (and posts, when configured).",
            discussion: """
                Reads every .md and .markdown file under each DIR (or each file given): the front matter's \
                title, date, categories and tags, the body, and the info code from the share link \
                (infoCode=CODE) or else the file name (<YYYY-MM-DD>-<CODE>.md). A post whose info code is \
                stored already is left as it is, so importing twice adds nothing. Prints each skipped file \
                with the reason (and the line, for unreadable front matter), then the counts.

                Exit status: 0 when every post was imported or already present, 1 when some were skipped \
                or a write failed (the others are imported all the same), 2 for a config error.
                """
        )

        @OptionGroup var options: ConfigOption

        @Argument(help: ArgumentHelp("Folders of posts (e.g. site/_posts site/old_post) or post files.", valueName: "DIR"))
        var paths: [String] = []

        func validate() throws {
            guard !paths.isEmpty else { throw ValidationError("Give at least one folder of posts to import.") }
        }

        func run() async throws {
            let config = try options.load()
            let importer: JekyllImporter
            do {
                importer = try await JekyllImporter.open(config: config, logger: options.makeLogger())
            } catch {
                FileHandle.standardError.write(Data("feedd: \(error)\n".utf8))
                throw ExitCode(1)
            }
            let report = await importer.run(paths: paths, now: Date())
            await importer.store.close()
            for problem in report.skipped { print("skipped: \(problem)") }
            for warning in report.warnings { print("warning: \(warning)") }
            for error in report.errors { FileHandle.standardError.write(Data("feedd: \(error)\n".utf8)) }
            print(report.totalLine)
            if report.exitCode != 0 { throw ExitCode(report.exitCode) }
        }
    }
}

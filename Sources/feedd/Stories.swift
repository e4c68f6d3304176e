import ArgumentParser
import FeedPipeline
import Foundation

extension Feedd {
    /// `feedd stories …`: story detection across info codes.
    struct Stories: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Story detection: reprints of one story by several outlets are one entry in all/.",
            subcommands: [Rebuild.self]
        )

        /// Assigns stories to items stored without one.
        struct Rebuild: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Assign stories to the items stored without one (before this version, or while stories were off), then re-render.",
                discussion: "Oldest first, in batches of 500, one transaction each. Items with a story keep it: running it again assigns nothing."
            )

            @OptionGroup var options: ConfigOption

            func run() async throws {
                let config = try options.load()
                let pipeline: Pipeline
                do { pipeline = try await Pipeline.open(config: config, logger: options.makeLogger()) } catch {
                    FileHandle.standardError.write(Data("feedd: \(error)\n".utf8))
                    throw ExitCode(1)
                }
                let report = await pipeline.rebuildStories()
                await pipeline.store.close()
                for error in report.errors { FileHandle.standardError.write(Data("feedd: \(error)\n".utf8)) }
                print("stories: \(report.assigned.founded + report.assigned.joined) items assigned "
                      + "(\(report.assigned.founded) new stories, \(report.assigned.joined) joined one), "
                      + "\(report.filesWritten) files written")
                if !report.errors.isEmpty { throw ExitCode(1) }
            }
        }
    }
}

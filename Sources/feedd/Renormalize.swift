import ArgumentParser
import FeedNormalize
import FeedPipeline
import Foundation

extension Feedd {
    /// Re-runs the current normalizer over stored upstream bodies.
    struct Renormalize: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Normalize stored items again with this version's normalizer and re-render the changed feeds.",
            discussion: "Each item keeps the body upstream sent and the normalizer version that cleaned it; by default only items from older versions are redone. Item dates do not move."
        )

        @OptionGroup var options: ConfigOption

        @Flag(help: "Redo every item, not only those from older normalizer versions.")
        var all = false

        func run() async throws {
            let config = try options.load()
            let pipeline: Pipeline
            do { pipeline = try await Pipeline.open(config: config, logger: options.makeLogger()) } catch {
                FileHandle.standardError.write(Data("feedd: \(error)\n".utf8))
                throw ExitCode(1)
            }
            let report = await pipeline.renormalize(all: all)
            await pipeline.store.close()
            for error in report.errors { FileHandle.standardError.write(Data("feedd: \(error)\n".utf8)) }
            print("normalizer v\(HTMLNormalizer.version): \(report.examined) items examined, \(report.changed) bodies changed, "
                  + "\(report.filesWritten) files written")
            if !report.errors.isEmpty { throw ExitCode(1) }
        }
    }
}

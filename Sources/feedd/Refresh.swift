import ArgumentParser
import FeedConfig
import FeedPipeline
import FeedStore
import FeedStorePostgres
import Foundation

extension Feedd {
    /// Polls every (or the named) source once, stores, renders, reports.
    struct Refresh: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Poll the sources once, store new items, write the feeds.",
            discussion: "Exit status: 0 when every source succeeded, 1 when some failed (their feeds keep the last good items), 2 for a config error."
        )

        @OptionGroup var options: ConfigOption

        @Option(name: .customLong("source"), help: "Poll only this source (repeatable).")
        var sources: [String] = []

        func run() async throws {
            limitMallocArenas()
            let config = try options.load()
            let logger = options.makeLogger()
            removeLeftoverTempFiles(config, logger: logger)
            let chosen: [SourceConfig]
            do {
                chosen = try config.sources(named: sources)
            } catch {
                FileHandle.standardError.write(Data("feedd: \(error)\n".utf8))
                throw ExitCode(2)
            }
            let store: any Store
            do {
                store = try await StoreBackend.open(config, logger: logger, pool: BlockingPool.shared)
            } catch {
                FileHandle.standardError.write(Data("feedd: \(error)\n".utf8))
                throw ExitCode(1)
            }
            // On PostgreSQL beside running nodes: each source polled under its lease, bodies claimed, nodes told.
            let cluster = StoreBackend.cluster(for: store, config, logger: logger)
            let pipeline = Pipeline(config: config, store: store, logger: logger, cluster: cluster)
            let report = await pipeline.refresh(chosen)
            await cluster?.close()
            await store.close()
            for source in report.sources { print(source.line) }
            print(report.totalLine)
            if report.exitCode != 0 { throw ExitCode(report.exitCode) }
        }
    }
}

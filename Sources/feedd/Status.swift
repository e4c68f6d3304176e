import ArgumentParser
import FeedPipeline
import FeedStore
import FeedStorePostgres
import Foundation
import Logging

extension Feedd {
    /// Per source: last poll and result, next poll, failures, items. Reads the
    /// store (WAL, or the shared PostgreSQL database), so it works while the daemon runs.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show each source's last poll, result and next poll.")

        @OptionGroup var options: ConfigOption

        func run() async throws {
            let config = try options.load()
            let store: any Store
            do {
                store = try await StoreBackend.open(config, logger: Logger(label: "feedd.status"), pool: BlockingPool.shared)
            } catch {
                FileHandle.standardError.write(Data("feedd: \(error)\n".utf8))
                throw ExitCode(1)
            }
            let states: [String: SourceState]
            let itemCount: Int
            let format = ISO8601DateFormatter()
            let leases: [String]?
            do {
                states = Dictionary(try await store.sourceStates().map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
                itemCount = try await store.itemCount()
                leases = try await Self.leaseLines(store, config: config, format: format)
            } catch {
                await store.close()
                FileHandle.standardError.write(Data("feedd: \(error)\n".utf8))
                throw ExitCode(1)
            }
            await store.close()
            let when = { (d: Date?) in d.map { format.string(from: $0) } ?? "-" }
            print("source\tlast poll\tresult\tnext poll\tfailures\tlisted\tnew\tupdated")
            for source in config.sources {
                let s = states[source.name]
                let result = s?.lastResult.map { r in s?.message.map { "\(r.rawValue): \($0)" } ?? r.rawValue } ?? "never polled"
                print("\(source.name)\t\(when(s?.lastPoll))\t\(result)\t\(when(s?.nextPoll))\t\(s?.consecutiveFailures ?? 0)\t"
                      + "\(s?.itemsListed ?? 0)\t\(s?.itemsNew ?? 0)\t\(s?.itemsUpdated ?? 0)")
            }
            for line in leases ?? [] { print(line) }
            print("items stored: \(itemCount)")
        }
    }
}

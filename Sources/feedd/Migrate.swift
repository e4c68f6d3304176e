import ArgumentParser
import FeedConfig
import FeedPipeline
import FeedStore
import FeedStorePostgres
import Foundation

extension Feedd {
    /// Copies the config's SQLite store into a PostgreSQL database (issue 12).
    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the SQLite store into a PostgreSQL database, to run several nodes on it.",
            discussion: """
                Reads the store named by the config's `storage` (a path) and copies its items, categories, \
                listings, stories, validators and source states into the database, 500 rows per statement; \
                rows already there are left as they are, so running it again copies nothing, and a copy that \
                stopped half-way is finished by running it again. Then set `storage:` to the URL.

                Exit status: 0 copied (or nothing left to copy), 1 on a store error, 2 for a config or URL error.
                """
        )

        @OptionGroup var options: ConfigOption

        @Option(name: .customLong("to"), help: ArgumentHelp("The database: postgres://user:password@host:port/db?sslmode=…",
                                                             valueName: "URL"))
        var destination: String

        func run() async throws {
            let config = try options.load()
            let logger = options.makeLogger()
            guard config.postgres == nil else {
                FileHandle.standardError.write(Data("feedd: \(config.file): storage is already PostgreSQL; migrate copies an SQLite store\n".utf8))
                throw ExitCode(2)
            }
            let target: PostgresStorage
            switch PostgresStorage.parse(destination) {
            case .success(let parsed): target = parsed
            case .failure(let mistake):
                FileHandle.standardError.write(Data("feedd: --to: \(mistake)\n".utf8))
                throw ExitCode(2)
            }
            let path = config.storage
            guard FileManager.default.fileExists(atPath: path) else {
                FileHandle.standardError.write(Data("feedd: store \(path): no such file: nothing to migrate\n".utf8))
                throw ExitCode(1)
            }
            do {
                let source = try await BlockingPool.shared.run { () throws(StoreError) in try FeedStore(path: path) }
                let destination = try await PostgresStore.open(target, logger: logger)
                let migration = StoreMigration(from: source, pool: BlockingPool.shared, to: destination)
                let copied: [StoreMigration.Copied]
                do {
                    copied = try await migration.run { table in
                        print("\(table.table): \(table.read) rows read, \(table.inserted) copied")
                    }
                } catch {
                    await destination.close()
                    throw error
                }
                await destination.close()
                let read = copied.map(\.read).reduce(0, +), inserted = copied.map(\.inserted).reduce(0, +)
                print("total: \(inserted) rows copied to \(target.redacted), \(read - inserted) already there")
            } catch {
                FileHandle.standardError.write(Data("feedd: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}

import ArgumentParser
import FeedConfig
import FeedDaemon
import FeedPipeline
import Foundation
import Logging

/// `--config PATH`, shared by every command.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The config file.")
    var config: String = "./config.yaml"

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level?

    /// Loads the config or exits 2 with the error on stderr.
    func load() throws -> Config {
        do {
            return try ConfigCheck.load(path: config)
        } catch {
            FileHandle.standardError.write(Data("feedd: config error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// Logs to stderr: journald-style `<N>` priorities under systemd, timestamped lines elsewhere.
    func makeLogger(default level: Logger.Level = .warning) -> Logger {
        let chosen = logLevel ?? level
        LoggingSystem.bootstrap { label in JournalLogHandler(label: label, level: chosen) }
        return Logger(label: "feedd")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

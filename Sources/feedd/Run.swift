import ArgumentParser
import FeedDaemon
import Foundation

extension Feedd {
    /// The daemon: polls on schedule and serves the feeds until SIGTERM.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the daemon: poll every source on its interval, write and serve the feeds.",
            discussion: """
                Runs until SIGTERM or SIGINT (in-flight polls finish or are cancelled at a deadline; exit 0). \
                SIGHUP re-reads the config; an invalid one is logged and the running one kept. \
                Speaks the systemd notify protocol when NOTIFY_SOCKET is set.
                """
        )

        @OptionGroup var options: ConfigOption

        func run() async throws {
            limitMallocArenas()
            let config = try options.load()
            let logger = options.makeLogger(default: .info)
            removeLeftoverTempFiles(config, logger: logger)
            do {
                try await Daemon(configPath: options.config, logger: logger).run(config: config)
            } catch {
                logger.critical("\(error)")
                throw ExitCode(1)
            }
        }
    }
}

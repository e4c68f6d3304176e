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

/// glibc gives each thread that meets a locked arena one of its own (up to 8 per core), and
/// each keeps the memory it once held: the daemon's threads (cooperative pool, blocking and
/// poll pools, curl's, NIO's) would each hold a heap. Two arenas serve its few threads.
private func limitMallocArenas() {
    #if canImport(Glibc)
    // glibc's mallopt (not in Swift's Glibc module, as malloc_trim in FeedConfig): from the process's own symbols.
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    let arenaMax: Int32 = -8 // M_ARENA_MAX in <malloc.h>
    guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "mallopt") else { return }
    if unsafeBitCast(symbol, to: Mallopt.self)(arenaMax, 2) == 0 {
        FileHandle.standardError.write(Data("feedd: mallopt(M_ARENA_MAX, 2) refused; glibc's default arenas stay\n".utf8))
    }
    #endif
}

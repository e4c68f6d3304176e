import Logging
import Synchronization

/// Keeps every log line a daemon under test writes, so a test can assert
/// what was said (and how often).
public final class LogCapture: Sendable {
    private let lines = Mutex<[(level: Logger.Level, text: String)]>([])

    public init() {}

    public var logger: Logger {
        var logger = Logger(label: "daemon-test") { _ in Handler(capture: self) }
        logger.logLevel = .debug
        return logger
    }

    public func messages(atLeast level: Logger.Level) -> [String] {
        lines.withLock { $0.filter { $0.level >= level }.map(\.text) }
    }

    public func all() -> [String] { lines.withLock { $0.map(\.text) } }

    fileprivate func append(_ level: Logger.Level, _ text: String) { lines.withLock { $0.append((level, text)) } }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
                 file: String, function: String, line: UInt) {
            capture.append(level, "\(message)")
        }
    }
}

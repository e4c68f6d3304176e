import Foundation
import Logging

/// Log lines for where feedd runs. Under systemd's journal (`JOURNAL_STREAM`
/// set) each line starts with its syslog priority (`<3>` error … `<7>` debug)
/// and carries no timestamp: journald adds its own. Elsewhere a readable,
/// timestamped line. Both go to standard error.
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    let label: String
    let journal: Bool

    public init(label: String, level: Logger.Level, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.label = label
        self.logLevel = level
        journal = environment["JOURNAL_STREAM"] != nil
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// sd-daemon(3) priorities.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .critical: 2
        case .error: 3
        case .warning: 4
        case .notice: 5
        case .info: 6
        case .debug, .trace: 7
        }
    }

    public func log(event: LogEvent) {
        FileHandle.standardError.write(Data(format(event.level, event.message, event.metadata).utf8))
    }

    func format(_ level: Logger.Level, _ message: Logger.Message, _ extra: Logger.Metadata?) -> String {
        let merged = metadata.merging(extra ?? [:]) { $1 }
        let meta = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: " ")
        // One event, one line: a message with newlines would split into several journal entries.
        let text = "\(message)\(meta)".replacingOccurrences(of: "\n", with: " ")
        if journal { return "<\(Self.priority(level))>\(text)\n" }
        let stamp = ISO8601DateFormatter().string(from: Date())
        return "\(stamp) \(level) \(label): \(text)\n"
    }
}

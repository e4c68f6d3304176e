import Foundation

/// What polling one source did, for the CLI's line and the logs.
public struct SourceReport: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case ok
        /// `304`: the list did not change.
        case notModified
        case failed(String)
    }

    public var name: String
    public var status: Status
    public var bytes = 0
    public var listed = 0
    public var new = 0
    public var updated = 0
    public var unchanged = 0
    /// Records or bodies that could not be taken this time.
    public var errors = 0
    public var warnings: [String] = []
    /// The upstream's `Retry-After` with a 429 or 503.
    public var retryAfter: String?
    /// The host the poll could not reach at all (name not resolved, connection refused), if that was the failure.
    public var unreachableHost: String?

    public init(name: String, status: Status) {
        self.name = name
        self.status = status
    }

    public var failed: Bool { if case .failed = status { true } else { false } }

    /// `market-37: fetched 12.3 KB, 100 listed, 3 new, 0 updated, 97 unchanged, 0 errors`.
    public var line: String {
        switch status {
        case .notModified: "\(name): not modified (304)"
        case .failed(let why): "\(name): FAILED: \(why)"
        case .ok:
            "\(name): fetched \(Self.size(bytes)), \(listed) listed, \(new) new, \(updated) updated, "
                + "\(unchanged) unchanged, \(errors) errors"
        }
    }

    static func size(_ n: Int) -> String {
        n < 1024 ? "\(n) B" : n < 1 << 20 ? String(format: "%.1f KB", Double(n) / 1024) : String(format: "%.1f MB", Double(n) / 1048576)
    }
}

/// A whole refresh: every source's report and what was written.
public struct RefreshReport: Sendable {
    public var sources: [SourceReport]
    public var filesWritten: Int
    public var renderErrors: [String]

    /// 0 when every source succeeded, 1 when some failed.
    public var exitCode: Int32 { sources.contains(where: \.failed) || !renderErrors.isEmpty ? 1 : 0 }

    public var totalLine: String {
        let ok = sources.filter { !$0.failed }.count
        let sum = { (k: KeyPath<SourceReport, Int>) in self.sources.reduce(0) { $0 + $1[keyPath: k] } }
        return "total: \(sources.count) sources (\(ok) ok, \(sources.count - ok) failed), \(sum(\.new)) new, "
            + "\(sum(\.updated)) updated, \(sum(\.unchanged)) unchanged, \(sum(\.errors)) errors, \(filesWritten) files written"
    }
}

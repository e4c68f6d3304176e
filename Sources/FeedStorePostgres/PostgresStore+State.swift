import FeedStore
import Foundation
import PostgresNIO

/// Source states by key and the render state, as in `FeedStore+SourceState.swift`
/// and `FeedStore+RenderState.swift`.
extension PostgresStore {
    static let stateColumns = """
        name, lastPoll, lastSuccess, lastResult, message, consecutiveFailures, nextPoll, itemsListed, itemsNew, itemsUpdated
        """

    /// `stateColumns`, each prefixed with `table.`.
    static func stateColumns(_ table: String) -> String {
        stateColumns.split(separator: ",").map { "\(table).\($0.trimmingCharacters(in: .whitespacesAndNewlines))" }
            .joined(separator: ", ")
    }

    public func sourceState(named name: String) async throws(StoreError) -> SourceState? {
        try await attempt("read state of '\(name)'") {
            try await states(client.query("SELECT \(unescaped: Self.stateColumns) FROM sourceState WHERE name = \(name)",
                                          logger: logger)).first
        }
    }

    public func pollStart(source name: String, url: String) async throws(StoreError) -> PollStart {
        try await attempt("read state of '\(name)'") {
            // One round trip for both (a poll's first step, on every poll): one row, either side NULL when absent.
            var start = PollStart(state: nil, validators: nil)
            for try await (n, lastPoll, lastSuccess, lastResult, message, failures, nextPoll, listed, new, updated,
                           validated, etag, lastModified) in try await client.query("""
                SELECT \(unescaped: Self.stateColumns("s")), v.url, v.etag, v.lastModified
                FROM (VALUES (1)) AS one(x)
                LEFT JOIN sourceState s ON s.name = \(name)
                LEFT JOIN httpValidator v ON v.url = \(url)
                """, logger: logger).decode((String?, Double?, Double?, String?, String?, Int?, Double?, Int?, Int?, Int?,
                                             String?, String?, String?).self) {
                if let n, let failures, let listed, let new, let updated {
                    start.state = try state(n, lastPoll, lastSuccess, lastResult, message, failures, nextPoll, listed, new, updated)
                }
                if validated != nil { start.validators = (etag, lastModified) }
            }
            return start
        }
    }

    public func sourceStates() async throws(StoreError) -> [SourceState] {
        try await attempt("read source states") {
            try await states(client.query("SELECT \(unescaped: Self.stateColumns) FROM sourceState ORDER BY name",
                                          logger: logger))
        }
    }

    public func save(_ state: SourceState) async throws(StoreError) {
        let logger = self.logger
        try await attempt("save state of '\(state.name)'") {
            try await client.withConnection { c in try await Self.save(state, on: c, logger: logger) }
        }
    }

    static func save(_ s: SourceState, on c: PostgresConnection, logger: Logger) async throws {
        try await c.query("""
            INSERT INTO sourceState (\(unescaped: stateColumns))
            VALUES (\(s.name), \(s.lastPoll?.timeIntervalSince1970), \(s.lastSuccess?.timeIntervalSince1970),
                    \(s.lastResult?.rawValue), \(s.message), \(s.consecutiveFailures), \(s.nextPoll?.timeIntervalSince1970),
                    \(s.itemsListed), \(s.itemsNew), \(s.itemsUpdated))
            ON CONFLICT (name) DO UPDATE SET lastPoll = excluded.lastPoll, lastSuccess = excluded.lastSuccess,
                lastResult = excluded.lastResult, message = excluded.message,
                consecutiveFailures = excluded.consecutiveFailures, nextPoll = excluded.nextPoll,
                itemsListed = excluded.itemsListed, itemsNew = excluded.itemsNew, itemsUpdated = excluded.itemsUpdated
            """, logger: logger)
    }

    private func states(_ rows: PostgresRowSequence) async throws -> [SourceState] {
        var out: [SourceState] = []
        for try await (name, lastPoll, lastSuccess, lastResult, message, failures, nextPoll, listed, new, updated)
            in rows.decode((String, Double?, Double?, String?, String?, Int, Double?, Int, Int, Int).self) {
            out.append(try state(name, lastPoll, lastSuccess, lastResult, message, failures, nextPoll, listed, new, updated))
        }
        return out
    }

    /// A state from its columns (`stateColumns`, in order); an unknown result is an error naming the source.
    private func state(_ name: String, _ lastPoll: Double?, _ lastSuccess: Double?, _ lastResult: String?, _ message: String?,
                       _ failures: Int, _ nextPoll: Double?, _ listed: Int, _ new: Int, _ updated: Int) throws -> SourceState {
        let date = { (seconds: Double?) in seconds.map(Date.init(timeIntervalSince1970:)) }
        var result: PollResult?
        if let raw = lastResult {
            guard let known = PollResult(rawValue: raw) else {
                throw StoreError(path: location, action: "read state of '\(name)'",
                                 message: "unknown lastResult '\(raw)' (expected one of \(PollResult.allCases.map(\.rawValue)))")
            }
            result = known
        }
        return SourceState(name: name, lastPoll: date(lastPoll), lastSuccess: date(lastSuccess), lastResult: result,
                           message: message, consecutiveFailures: failures, nextPoll: date(nextPoll),
                           itemsListed: listed, itemsNew: new, itemsUpdated: updated)
    }

    // MARK: Render state

    public func renderState() async throws(StoreError) -> FeedStore.RenderState {
        try await attempt("read render state") {
            var state = FeedStore.RenderState(contentVersion: 0, renderedVersion: nil, renderedFingerprint: nil)
            for try await (content, rendered, fingerprint) in try await client.query("""
                SELECT contentVersion, renderedVersion, renderedFingerprint FROM renderState WHERE id = 1
                """, logger: logger).decode((Int, Int?, String?).self) {
                state = FeedStore.RenderState(contentVersion: content, renderedVersion: rendered,
                                              renderedFingerprint: fingerprint)
            }
            return state
        }
    }

    public func markRendered(version: Int, fingerprint: String) async throws(StoreError) {
        _ = try await attempt("record render state") {
            try await client.query("""
                UPDATE renderState SET renderedVersion = \(version), renderedFingerprint = \(fingerprint) WHERE id = 1
                """, logger: logger)
        }
    }
}

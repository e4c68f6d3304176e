import FeedStore
import Foundation
import PostgresNIO

/// Source states by key and the render state, as in `FeedStore+SourceState.swift`
/// and `FeedStore+RenderState.swift`.
extension PostgresStore {
    static let stateColumns = """
        name, lastPoll, lastSuccess, lastResult, message, consecutiveFailures, nextPoll, itemsListed, itemsNew, itemsUpdated
        """

    public func sourceState(named name: String) async throws(StoreError) -> SourceState? {
        try await attempt("read state of '\(name)'") {
            try await states(client.query("SELECT \(unescaped: Self.stateColumns) FROM sourceState WHERE name = \(name)",
                                          logger: logger)).first
        }
    }

    public func pollStart(source name: String, url: String) async throws(StoreError) -> PollStart {
        try await attempt("read state of '\(name)'") {
            try await client.withConnection { c in
                let state = try await states(c.query(
                    "SELECT \(unescaped: Self.stateColumns) FROM sourceState WHERE name = \(name)", logger: logger)).first
                let validators = try await Self.validators(for: url, on: c.query(
                    "SELECT etag, lastModified FROM httpValidator WHERE url = \(url)", logger: logger))
                return PollStart(state: state, validators: validators)
            }
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
        let date = { (seconds: Double?) in seconds.map(Date.init(timeIntervalSince1970:)) }
        for try await (name, lastPoll, lastSuccess, lastResult, message, failures, nextPoll, listed, new, updated)
            in rows.decode((String, Double?, Double?, String?, String?, Int, Double?, Int, Int, Int).self) {
            var result: PollResult?
            if let raw = lastResult {
                guard let known = PollResult(rawValue: raw) else {
                    throw StoreError(path: location, action: "read state of '\(name)'",
                                     message: "unknown lastResult '\(raw)' (expected one of \(PollResult.allCases.map(\.rawValue)))")
                }
                result = known
            }
            out.append(SourceState(name: name, lastPoll: date(lastPoll), lastSuccess: date(lastSuccess), lastResult: result,
                                   message: message, consecutiveFailures: failures, nextPoll: date(nextPoll),
                                   itemsListed: listed, itemsNew: new, itemsUpdated: updated))
        }
        return out
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

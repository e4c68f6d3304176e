import FeedConfig
import FeedModel
import FeedStore
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Change notices: `NOTIFY` on one channel, a payload per notice:
/// `changed<TAB>node<TAB>slug slug …` after an apply that changed feeds,
/// `sources<TAB>node` after a node synced its sources.
extension PostgresCluster {
    /// PostgreSQL refuses payloads of 8000 bytes or more: longer slug lists go in several notices.
    static let payloadLimit = 7_000

    public func notifyChanged(_ slugs: Set<Slug>) async throws(StoreError) {
        guard !slugs.isEmpty else { return }
        try await notify(Self.changedPayloads(slugs, node: node),
                         action: "notify changed feeds \(slugs.map(\.rawValue).sorted())")
    }

    /// The `changed` notices naming `slugs` (sorted), each payload under `payloadLimit`.
    static func changedPayloads(_ slugs: Set<Slug>, node: String) -> [String] {
        let prefix = "changed\t\(node)\t"
        var payloads: [String] = []
        var current = ""
        for slug in slugs.map(\.rawValue).sorted() {
            if !current.isEmpty && prefix.utf8.count + current.utf8.count + slug.utf8.count + 1 > Self.payloadLimit {
                payloads.append(prefix + current)
                current = ""
            }
            current += current.isEmpty ? slug : " " + slug
        }
        payloads.append(prefix + current)
        return payloads
    }

    func notify(_ payloads: [String], action: String) async throws(StoreError) {
        try await attempt(action) {
            for payload in payloads {
                try await client.query("SELECT pg_notify(\(Self.channel), \(payload))", logger: logger)
            }
        }
    }

    /// A notice from its payload; nil for one this version does not know (a newer node's).
    static func notice(from payload: String) -> ClusterNotice? {
        let parts = payload.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        switch (parts.first, parts.count) {
        case ("changed", 3):
            // `all` is reserved (no category may take it), so it is not a valid given slug: matched by name.
            let slugs = parts[2].split(separator: " ").map(String.init).compactMap {
                $0 == Category.all.slug.rawValue ? Category.all.slug : Slug(validating: $0)
            }
            return .changed(node: parts[1], slugs: Set(slugs))
        case ("sources", 2):
            return .sourcesSynced(node: parts[1])
        default:
            return nil
        }
    }
}

/// Listens on the cluster channel on a connection of its own, one per
/// `notices()` stream; when the connection is lost (the server restarted, the
/// network broke, the session was terminated) it reconnects with a growing
/// pause (¼ s doubling to 10 s) and says `listening(resumed: true)`, since
/// notices sent meanwhile are lost. A `SELECT 1` every `pingEvery` finds a
/// connection that died silently.
final class NoticeListener: Sendable {
    let storage: PostgresStorage
    let channel: String
    let logger: Logger
    let pingEvery: Duration
    private let running = Mutex<[Int: Task<Void, Never>]>([:])

    init(storage: PostgresStorage, channel: String, logger: Logger, pingEvery: Duration = .seconds(30)) {
        self.storage = storage
        self.channel = channel
        self.logger = logger
        self.pingEvery = pingEvery
    }

    func notices() -> AsyncStream<ClusterNotice> {
        let (stream, continuation) = AsyncStream.makeStream(of: ClusterNotice.self, bufferingPolicy: .bufferingNewest(1_000))
        let id = Int.random(in: 0...Int.max)
        let task = Task { [self] in
            await listen(continuation)
            continuation.finish()
            _ = running.withLock { $0.removeValue(forKey: id) }
        }
        running.withLock { $0[id] = task }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    func stop() async {
        let tasks = running.withLock { r -> [Task<Void, Never>] in defer { r = [:] }; return Array(r.values) }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }

    private func listen(_ continuation: AsyncStream<ClusterNotice>.Continuation) async {
        var resumed = false
        var pause = Duration.milliseconds(250)
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(configuration: storage.connectionConfiguration(),
                                                                      id: Int.random(in: 1...Int.max), logger: logger)
                do {
                    try await connection.listen(on: channel) { notifications in
                        continuation.yield(.listening(resumed: resumed))
                        pause = .milliseconds(250)
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            group.addTask { try await self.ping(connection) }
                            group.addTask {
                                for try await n in notifications {
                                    if let notice = PostgresCluster.notice(from: n.payload) { continuation.yield(notice) }
                                }
                            }
                            _ = try await group.next() // either ends: the connection is gone or we are stopping
                            group.cancelAll()
                        }
                    }
                } catch {
                    if !Task.isCancelled { logger.warning("cluster notices: connection lost: \(PostgresStore.describe(error))") }
                }
                do { try await connection.close() } catch { logger.debug("cluster notices: close: \(error)") }
            } catch {
                logger.warning("cluster notices: cannot connect to \(storage.redacted): \(PostgresStore.describe(error))")
            }
            guard !Task.isCancelled else { break }
            resumed = true
            do { try await Task.sleep(for: pause) } catch { break }
            pause = min(pause * 2, .seconds(10))
        }
    }

    /// Throws when the connection stops answering.
    private func ping(_ connection: PostgresConnection) async throws {
        while true {
            try await Task.sleep(for: pingEvery)
            try await connection.query("SELECT 1", logger: logger)
        }
    }
}

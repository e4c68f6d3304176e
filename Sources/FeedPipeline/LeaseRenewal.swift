import FeedStore
import Logging

/// Runs `poll` (a poll of `source` under its lease) while renewing the lease
/// every half lease beside it, so a long poll (many new bodies) keeps its
/// source and only a dead process's lease runs out. The renewal stops when
/// `poll` returns, or when the lease is no longer this process's. `sleep` is
/// the caller's clock (the scheduler's is injected).
public func withLeaseRenewed<Result: Sendable>(
    of source: String, for lease: Duration, on coordination: any ClusterCoordination, logger: Logger,
    sleep: @escaping @Sendable (Duration) async throws -> Void, _ poll: () async -> Result
) async -> Result {
    await withDiscardingTaskGroup { group in
        group.addTask { await renewLease(of: source, for: lease, on: coordination, logger: logger, sleep: sleep) }
        let result = await poll()
        group.cancelAll() // the lease needs no more renewing
        return result
    }
}

/// Renews the lease every half lease until cancelled or the lease is another's.
private func renewLease(of source: String, for lease: Duration, on coordination: any ClusterCoordination,
                        logger: Logger, sleep: @Sendable (Duration) async throws -> Void) async {
    while true {
        do { try await sleep(lease / 2) } catch { return }
        do {
            guard try await coordination.renew(source, lease: lease) else {
                logger.warning("\(source): the lease is another node's now; this poll's result will not be recorded")
                return
            }
        } catch {
            logger.error("\(source): lease not renewed (it runs out unless renewed later): \(error)")
        }
    }
}

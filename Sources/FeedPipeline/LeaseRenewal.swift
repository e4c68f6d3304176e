import FeedStore
import Logging

/// While a poll runs under a lease, renews it every half lease, so a long poll
/// (many new bodies) keeps its source and only a dead process's lease runs
/// out. Ends when cancelled (the poll is done) or when the lease is no longer
/// this process's. `sleep` is the caller's clock (the scheduler's is injected).
public func renewLease(of source: String, for lease: Duration, on coordination: any ClusterCoordination,
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

import FeedConfig
import FeedModel
import FeedStore
import Foundation

/// `feedd refresh` on a shared PostgreSQL beside running nodes (issue 12): each
/// source is polled under a lease of this process, as a node polls it, so no
/// node polls it at the same time; new bodies are claimed by the same poll
/// step a node runs (`claimedBodies`), so none is fetched twice; the apply tells
/// the nodes what changed. A source a node is polling right now is waited for
/// (its lease is let go within milliseconds, or runs out), then polled.
extension Pipeline {
    /// How long this process holds a source it polls: a node's lease (`poll.lease`).
    var refreshLease: Duration { config.poll.lease }

    /// Polls `source` once; with a cluster, under its lease (nil cluster: `poll` as it is).
    func pollOnce(_ source: SourceConfig) async -> Polled {
        guard let cluster else { return await poll(source) }
        let claimed: ClaimedSource
        do {
            guard let held = try await lease(source, from: cluster) else {
                // No node has synced it, so no node polls it: polled as a single node would.
                return await poll(source)
            }
            claimed = held
        } catch {
            logger.error("\(source.name): not polled: \(error)")
            return Polled(report: SourceReport(name: source.name, status: .failed("\(error)")), changedSlugs: [], delay: nil, at: now())
        }
        let polled = await withLeaseRenewed(of: source.name, for: refreshLease, on: cluster, logger: logger,
                                            sleep: { try await Task.sleep(for: $0) }) {
            await self.poll(source)
        }
        if !polled.unannouncedSlugs.isEmpty {
            do { try await cluster.notifyChanged(polled.unannouncedSlugs) } catch {
                logger.error("\(source.name): the nodes were not told of changed feeds (they render on their next notice): \(error)")
            }
        }
        // The refresh was this source's poll: the nodes poll it next an interval from now.
        let failures = polled.report.failed ? claimed.failures + 1 : 0
        do {
            if !(try await cluster.release(source.name, failures: failures, nextPollIn: config.interval(of: source))) {
                logger.warning("\(source.name): the lease ran out before the poll finished; a node holds it now")
            }
        } catch {
            logger.error("\(source.name): lease not let go (it runs out at \(claimed.until)): \(error)")
        }
        return polled
    }

    /// This process's lease of `source`, waiting (bounded by a lease's time and 5 s) while a node holds it;
    /// nil when the shared table does not have it.
    private func lease(_ source: SourceConfig, from cluster: any ClusterCoordination) async throws -> ClaimedSource? {
        let deadline = ContinuousClock.now + refreshLease + .seconds(5)
        while true {
            let claim = try await cluster.claim(named: [source.name], lease: refreshLease)
            if let held = claim.claimed.first { return held }
            if claim.absent.contains(source.name) { return nil }
            guard ContinuousClock.now < deadline else { throw LeaseHeld(source: source.name, waited: refreshLease + .seconds(5)) }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

/// A node held a source's lease for longer than a lease lasts (renewing it: a long poll).
struct LeaseHeld: Error, CustomStringConvertible {
    var source: String
    var waited: Duration
    var description: String { "source '\(source)' is being polled by a cluster node (its lease held for over \(waited)); not polled" }
}

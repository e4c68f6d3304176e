import FeedModel
import Foundation

/// What several feedd nodes sharing one database coordinate through it
/// (issue 12): which node polls which source (leases), which node fetches a
/// new article's body (claims), which categories changed (notifications),
/// and which node writes the Jekyll posts (a lock). The PostgreSQL backend
/// implements it (`FeedStorePostgres/PostgresCluster`); the daemon sees only
/// this protocol, so it needs no database driver. Times that decide who may
/// do what are the database's clock, one for every node.
public protocol ClusterCoordination: Sendable {
    /// This node's name in leases and claims (`ClusterNode.defaultID()` unless configured).
    var node: String { get }

    /// Syncs the configured sources into the shared table by name: new ones are
    /// due after their `firstDelay`, changed ones at once, removed ones are no
    /// longer due (their items stay). Records this config's hash and reports
    /// how it differs from the one the cluster had.
    func syncSources(_ sources: [ClusterSourceEntry]) async throws(StoreError) -> SourceSyncReport

    /// Claims up to `limit` due sources in one statement, each leased to this
    /// node for `lease`; also says how long until the next source may be claimed.
    func claimDue(limit: Int, lease: Duration) async throws(StoreError) -> LeaseClaim

    /// Leases the named sources to this node for `lease`, due or not (`feedd refresh`
    /// beside running nodes), in one statement: a source another node's live lease
    /// holds is not claimed (it is being polled now). `absent` names the sources the
    /// shared table does not have (no node has synced them, so no node polls them).
    func claim(named names: [String], lease: Duration) async throws(StoreError) -> NamedClaim

    /// The holder's end of a poll: records the failure count and the next due
    /// time (`nextPollIn` from now) and lets go of the lease. False when the
    /// lease was no longer this node's (it expired and another node took it):
    /// nothing is written then.
    func release(_ name: String, failures: Int, nextPollIn: Duration) async throws(StoreError) -> Bool

    /// Extends this node's lease of `name` to `lease` from now (a poll running long,
    /// still alive). False when the lease is no longer this node's.
    func renew(_ name: String, lease: Duration) async throws(StoreError) -> Bool

    /// Claims the bodies of `codes` for this node (insert-if-absent), for
    /// `lease`: returns the codes this node should fetch. A code already stored,
    /// or claimed by a node whose claim has not expired, is not returned.
    func claimBodies(_ codes: [InfoCode], for lease: Duration) async throws(StoreError) -> Set<InfoCode>

    /// Lets go of this node's claims on `codes` (stored, or failed: another poll may try).
    func releaseBodies(_ codes: [InfoCode]) async throws(StoreError)

    /// Tells every node (this one too) that the feeds of `slugs` changed.
    func notifyChanged(_ slugs: Set<Slug>) async throws(StoreError)

    /// The cluster's notices, on a connection of their own that reconnects when
    /// lost; ends when the task reading it is cancelled or `close` is called.
    func notices() -> AsyncStream<ClusterNotice>

    /// Whether this node is the Jekyll writer: holds the cluster's writer lock,
    /// or just took it because it was free. Held until this node's connection
    /// closes (or dies), so one node writes posts at a time.
    func holdWriterLock() async throws(StoreError) -> Bool

    /// Every source in the shared table with its lease, for `feedd status`.
    func sourceLeases() async throws(StoreError) -> [SourceLeaseState]

    /// Closes the notice and lock connections (the writer lock is let go).
    func close() async
}

/// A configured source as the shared table is synced from.
public struct ClusterSourceEntry: Sendable, Equatable {
    public var name: String
    /// A stable hash of the source's settings: a node with other settings for it differs.
    public var fingerprint: String
    /// When a source new to the table is first due (a little jitter, as a single node starts).
    public var firstDelay: Duration

    public init(name: String, fingerprint: String, firstDelay: Duration = .zero) {
        self.name = name
        self.fingerprint = fingerprint
        self.firstDelay = firstDelay
    }

    /// The config's hash: FNV-1a of every source's name and fingerprint, by name.
    public static func configHash(_ sources: [ClusterSourceEntry]) -> String {
        var h = FNV1a()
        for s in sources.sorted(by: { $0.name < $1.name }) {
            h.add(s.name.utf8)
            h.add(0)
            h.add(s.fingerprint.utf8)
            h.add(0x0A)
        }
        return FNV1a.hex16(h.value)
    }
}

/// How this node's config differed from the one the shared table held.
public struct SourceSyncReport: Sendable, Equatable, CustomStringConvertible {
    public var added: [String] = []
    public var removed: [String] = []
    public var changed: [String] = []
    /// This config's hash, now the cluster's.
    public var hash: String
    /// The cluster's hash before, and the node that recorded it (nil: the first sync).
    public var previousHash: String?
    public var previousNode: String?

    public init(hash: String, previousHash: String? = nil, previousNode: String? = nil) {
        self.hash = hash
        self.previousHash = previousHash
        self.previousNode = previousNode
    }

    /// Whether the cluster had another config before this sync.
    public var differs: Bool { previousHash.map { $0 != hash } ?? false }

    /// `added a, b; removed c; changed d` (only the kinds that occur).
    public var description: String {
        let parts = [("added", added), ("removed", removed), ("changed", changed)]
            .filter { !$0.1.isEmpty }.map { "\($0.0) \($0.1.joined(separator: ", "))" }
        return parts.isEmpty ? "no source differs" : parts.joined(separator: "; ")
    }
}

/// What one claim took, and when to claim again.
public struct LeaseClaim: Sendable, Equatable {
    public var claimed: [ClaimedSource]
    /// How long until the next source not claimed now may be claimed (a due time,
    /// or another node's lease running out); nil when no source is in the table.
    public var nextWake: Duration?

    public init(claimed: [ClaimedSource], nextWake: Duration?) {
        self.claimed = claimed
        self.nextWake = nextWake
    }
}

/// What a claim by name took.
public struct NamedClaim: Sendable, Equatable {
    public var claimed: [ClaimedSource]
    /// Names not in the shared table.
    public var absent: Set<String>

    public init(claimed: [ClaimedSource], absent: Set<String>) {
        self.claimed = claimed
        self.absent = absent
    }
}

/// A source this node now holds the lease of.
public struct ClaimedSource: Sendable, Equatable {
    public var name: String
    /// Consecutive failures before this poll (the backoff's count).
    public var failures: Int
    /// When the lease runs out, by the database's clock.
    public var until: Date

    public init(name: String, failures: Int, until: Date) {
        self.name = name
        self.failures = failures
        self.until = until
    }
}

/// A source's row in the shared table, for status.
public struct SourceLeaseState: Sendable, Equatable {
    public var name: String
    /// False: removed from the config, no longer polled.
    public var active: Bool
    public var nextPoll: Date
    public var holder: String?
    public var until: Date?
    public var failures: Int
    /// The node that polled it last.
    public var lastHolder: String?

    public init(name: String, active: Bool, nextPoll: Date, holder: String?, until: Date?, failures: Int,
                lastHolder: String?) {
        self.name = name
        self.active = active
        self.nextPoll = nextPoll
        self.holder = holder
        self.until = until
        self.failures = failures
        self.lastHolder = lastHolder
    }
}

/// What a node hears from the others.
public enum ClusterNotice: Sendable, Equatable {
    /// The notice connection listens (again). `resumed`: after a lost connection,
    /// so notices may have been missed: whatever is stale should be rendered.
    case listening(resumed: Bool)
    /// `node` stored something that changed the feeds of `slugs`.
    case changed(node: String, slugs: Set<Slug>)
    /// `node` synced its sources into the table (a start or a SIGHUP): due times may have moved.
    case sourcesSynced(node: String)
}

/// Names of nodes.
public enum ClusterNode {
    /// `host:pid`: unique among live nodes, readable in `feedd status`.
    public static func defaultID() -> String {
        var name = [CChar](repeating: 0, count: 256)
        let host = gethostname(&name, name.count) == 0 ? String(cString: name) : "node"
        return "\(host):\(getpid())"
    }
}

/// Migration v7, cluster coordination (issue 12): the shared source table with
/// its leases, body claims and the cluster's config hash. Only the PostgreSQL
/// backend reads and writes them; the SQLite file gets the same tables under
/// the same identifier, so both backends stay one versioned schema
/// (`FeedStorePostgres/ClusterSchema+Postgres.swift` is the PostgreSQL dialect).
public enum ClusterSchema {
    public static let v7 = "v7: cluster coordination (source leases, body claims, config hash)"

    /// The tables and their columns, for the parity test of the two dialects.
    public static let tables = ["clusterSource", "bodyClaim", "clusterConfig"]

    static let sqlite = [
        // One row per configured source, synced by name. `active` = 0: removed from the
        // config (never due; its items stay). Due when `nextPoll` has passed and no live
        // lease holds it; `failures` counts consecutive failures for the shared backoff.
        """
        CREATE TABLE clusterSource (
            name TEXT PRIMARY KEY NOT NULL,
            fingerprint TEXT NOT NULL,
            active INTEGER NOT NULL,
            nextPoll REAL NOT NULL,
            leaseUntil REAL,
            leaseHolder TEXT,
            leasedAt REAL,
            failures INTEGER NOT NULL DEFAULT 0,
            lastHolder TEXT,
            syncedAt REAL NOT NULL
        )
        """,
        "CREATE INDEX clusterSource_due ON clusterSource(nextPoll) WHERE active",
        "CREATE INDEX clusterSource_lease ON clusterSource(leaseUntil) WHERE leaseUntil IS NOT NULL",
        // A new info code's body is fetched by the node that inserted its claim; a claim
        // whose holder died is taken over once `until` has passed.
        """
        CREATE TABLE bodyClaim (
            infoCode TEXT PRIMARY KEY NOT NULL,
            holder TEXT NOT NULL,
            until REAL NOT NULL,
            claimedAt REAL NOT NULL
        )
        """,
        """
        CREATE TABLE clusterConfig (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            hash TEXT NOT NULL,
            node TEXT NOT NULL,
            syncedAt REAL NOT NULL
        )
        """,
    ]
}

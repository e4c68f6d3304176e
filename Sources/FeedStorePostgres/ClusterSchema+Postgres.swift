import FeedStore

/// Migration v7 in PostgreSQL's dialect: the same tables and columns as
/// `FeedStore/ClusterSchema.swift`'s SQLite ones (times as seconds since 1970).
extension ClusterSchema {
    static let postgres = [
        """
        CREATE TABLE clusterSource (
            name TEXT COLLATE "C" PRIMARY KEY NOT NULL,
            fingerprint TEXT NOT NULL,
            active BOOLEAN NOT NULL,
            nextPoll DOUBLE PRECISION NOT NULL,
            leaseUntil DOUBLE PRECISION,
            leaseHolder TEXT,
            leasedAt DOUBLE PRECISION,
            failures INTEGER NOT NULL DEFAULT 0,
            lastHolder TEXT,
            syncedAt DOUBLE PRECISION NOT NULL
        )
        """,
        // The claim walks due sources in due order; the next wake-up is the first unleased one.
        "CREATE INDEX clusterSource_due ON clusterSource(nextPoll) WHERE active",
        "CREATE INDEX clusterSource_lease ON clusterSource(leaseUntil) WHERE leaseUntil IS NOT NULL",
        """
        CREATE TABLE bodyClaim (
            infoCode TEXT COLLATE "C" PRIMARY KEY NOT NULL,
            holder TEXT NOT NULL,
            until DOUBLE PRECISION NOT NULL,
            claimedAt DOUBLE PRECISION NOT NULL
        )
        """,
        """
        CREATE TABLE clusterConfig (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            hash TEXT NOT NULL,
            node TEXT NOT NULL,
            syncedAt DOUBLE PRECISION NOT NULL
        )
        """,
    ]
}

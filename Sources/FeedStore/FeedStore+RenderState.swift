import GRDB

/// Whether the output folder already shows what the store holds. Every
/// transaction that changes what a feed shows bumps `contentVersion`; a
/// complete render records the version it started from and a fingerprint of
/// the settings it used. A daemon that restarts with both unchanged has
/// nothing to render.
extension FeedStore {
    public struct RenderState: Sendable, Equatable {
        public var contentVersion: Int
        public var renderedVersion: Int?
        public var renderedFingerprint: String?

        public init(contentVersion: Int, renderedVersion: Int?, renderedFingerprint: String?) {
            self.contentVersion = contentVersion
            self.renderedVersion = renderedVersion
            self.renderedFingerprint = renderedFingerprint
        }
    }

    public func renderState() throws(StoreError) -> RenderState {
        try read("read render state") { db in
            let row = try Row.fetchOne(db, sql: "SELECT * FROM renderState WHERE id = 1")
            return RenderState(contentVersion: row?["contentVersion"] ?? 0, renderedVersion: row?["renderedVersion"],
                               renderedFingerprint: row?["renderedFingerprint"])
        }
    }

    /// Records a complete render of the content as it was at `version`.
    public func markRendered(version: Int, fingerprint: String) throws(StoreError) {
        try write("record render state") { db in
            try db.execute(sql: "UPDATE renderState SET renderedVersion = ?, renderedFingerprint = ? WHERE id = 1",
                           arguments: [version, fingerprint])
        }
    }

    static func bumpContentVersion(_ db: Database) throws {
        try db.execute(sql: "UPDATE renderState SET contentVersion = contentVersion + 1 WHERE id = 1")
    }
}

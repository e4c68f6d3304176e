import FeedStore

/// The SQLite backend's calls run on this pool (`SQLiteStore`).
extension BlockingPool: BlockingRunner {}

#if canImport(Glibc)
import Glibc
#endif

/// Marks the threads that may block (feedd's `BlockingPool` threads), so that
/// blocking work already on one runs there inline instead of being handed to
/// another thread: a poll running on a pool thread reads SQLite, performs its
/// curl transfer and writes its result on that one thread, with no wake-up of
/// another. Everywhere else (Swift's cooperative pool) blocking work is handed off.
public enum BlockingThread {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed")
        return key
    }()

    /// Called once by each thread that exists to block, before it takes work.
    public static func markCurrent() {
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: 1))
    }

    /// Whether the calling thread may block (it is one of the marked threads).
    public static var isCurrent: Bool { pthread_getspecific(key) != nil }
}

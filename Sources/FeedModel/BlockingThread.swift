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

    /// Called once by each thread that exists to block, before it takes work,
    /// with the pool it belongs to (`owner`: an object that lives as long as the thread).
    public static func markCurrent(owner: AnyObject) {
        pthread_setspecific(key, Unmanaged.passUnretained(owner).toOpaque())
    }

    /// Whether the calling thread may block (it is one of the marked threads).
    public static var isCurrent: Bool {
        let current: UnsafeMutableRawPointer? = pthread_getspecific(key)
        return current != nil
    }

    /// Whether the calling thread is one of `owner`'s.
    public static func isOwned(by owner: AnyObject) -> Bool {
        let current: UnsafeMutableRawPointer? = pthread_getspecific(key)
        return current == Unmanaged.passUnretained(owner).toOpaque()
    }
}

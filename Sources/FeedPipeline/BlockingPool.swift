import FeedModel
import Foundation

/// A few threads of feedd's own for blocking work: SQLite calls (which may
/// wait up to the 10 s busy timeout), fsyncs and atomic renames, gzip of
/// served files. Swift's cooperative pool has one thread per core (two here);
/// one slow disk write there would stall every poll and request. Everything
/// that blocks goes through `run`, the one way in the codebase.
///
/// The pool is also a `TaskExecutor`: a task started with it as its executor
/// preference (the daemon's polls) runs its async code on the pool's threads,
/// and its `run` calls (and `HTTPClient`'s transfers) run inline on the thread
/// it is on, so one poll is one thread's work instead of four hand-offs that
/// each wake a sleeping thread.
public final class BlockingPool: TaskExecutor, @unchecked Sendable {
    // @unchecked: `queued`, `taken` and `head` are only touched while `condition` is locked.
    private let condition = NSCondition()
    private var queued: [@Sendable () -> Void] = []
    private var taken: [@Sendable () -> Void] = []
    private var head = 0
    private var threads = 0
    private let name: String

    /// The process's pool: four threads, enough for SQLite's readers beside its
    /// one writer; the daemon adds one per fetch slot, as its polls run here (`reserve`).
    public static let shared = BlockingPool(threads: 4, name: "feedd.blocking")

    public init(threads: Int, name: String) {
        self.name = name
        reserve(threads: max(1, threads))
    }

    /// Grows the pool to at least `count` threads (it never shrinks; its threads live as long as the process).
    public func reserve(threads count: Int) {
        condition.lock()
        let first = threads
        threads = max(threads, count)
        let last = threads
        condition.unlock()
        for index in first..<last {
            let thread = Thread { [unowned self] in
                BlockingThread.markCurrent(owner: self)
                self.work()
            }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    /// Runs a task's job (`withTaskExecutorPreference`, `addTask(executorPreference:)`) on one of the threads.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        enqueue { job.runSynchronously(on: executor) }
    }

    /// Runs `body` on one of the pool's threads and returns its result; the
    /// calling task is suspended meanwhile, its cooperative thread free. On one
    /// of this pool's threads already, `body` runs right there: handing it to
    /// another would only add a wake-up. (Another pool's thread hands it over:
    /// a one-thread pool, the renders', keeps its work in order that way.)
    public func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        if BlockingThread.isOwned(by: self) { return try body() }
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            enqueue {
                do throws(E) { continuation.resume(returning: .success(try body())) } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    private func enqueue(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        queued.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while head == taken.count && queued.isEmpty { condition.wait() }
            if head == taken.count { // two arrays make a FIFO queue without shifting elements
                taken = queued
                queued = []
                head = 0
            }
            let job = taken[head]
            taken[head] = {} // the finished job's captures are released now, not at the next swap
            head += 1
            condition.unlock()
            job()
        }
    }
}

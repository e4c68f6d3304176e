import Foundation

/// A few threads of feedd's own for blocking work: SQLite calls (which may
/// wait up to the 10 s busy timeout), fsyncs and atomic renames, gzip of
/// served files. Swift's cooperative pool has one thread per core (two here);
/// one slow disk write there would stall every poll and request. Everything
/// that blocks goes through `run`, the one way in the codebase.
public final class BlockingPool: @unchecked Sendable {
    // @unchecked: `queued`, `taken` and `head` are only touched while `condition` is locked.
    private let condition = NSCondition()
    private var queued: [@Sendable () -> Void] = []
    private var taken: [@Sendable () -> Void] = []
    private var head = 0

    /// The process's pool: four threads, enough for SQLite's readers beside its one writer.
    public static let shared = BlockingPool(threads: 4, name: "feedd.blocking")

    public init(threads: Int, name: String) {
        for index in 0..<max(1, threads) {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    /// Runs `body` on one of the pool's threads and returns its result; the
    /// calling task is suspended meanwhile, its cooperative thread free.
    public func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            enqueue {
                do throws(E) { continuation.resume(returning: .success(try body())) } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Runs `job` on one of the pool's threads; the caller does not wait.
    public func submit(_ job: @escaping @Sendable () -> Void) { enqueue(job) }

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

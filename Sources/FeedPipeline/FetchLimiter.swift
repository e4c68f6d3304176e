/// At most `width` fetches at once across every source of a pipeline
/// (`poll.concurrency`), so many sources polled together stay polite.
actor FetchLimiter {
    private let width: Int
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(width: Int) { self.width = max(1, width) }

    func run<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
        await acquire()
        defer { release() }
        return await body()
    }

    private func acquire() async {
        if running < width {
            running += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            running -= 1
        } else {
            waiters.removeFirst().resume() // the permit passes straight to the next waiter
        }
    }
}

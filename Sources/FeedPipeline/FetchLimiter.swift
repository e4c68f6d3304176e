import Foundation

/// Politeness across every source of a pipeline: at most `width` fetches at
/// once (`poll.concurrency`) and at most `perHost` against one host
/// (`poll.per_host`). Waiters are served in order, skipping those whose host is
/// busy, so one slow host never holds back fetches to another.
public actor FetchLimiter {
    private let width: Int
    private let perHost: Int
    private var running = 0
    private var runningByHost: [String: Int] = [:]
    private var waiters: [(host: String, continuation: CheckedContinuation<Void, Never>)] = []

    init(width: Int, perHost: Int) {
        self.width = max(1, width)
        self.perHost = max(1, perHost)
    }

    /// Runs `body` once a slot for `url`'s host is free.
    func run<T: Sendable>(url: String, _ body: @Sendable () async -> T) async -> T {
        let host = Self.host(of: url)
        await acquire(host)
        defer { release(host) }
        return await body()
    }

    /// The lowercased host of `url` ("" when it has none): the key of the per-host limit.
    public static func host(of url: String) -> String {
        URLComponents(string: url)?.host?.lowercased() ?? ""
    }

    private func canStart(_ host: String) -> Bool {
        running < width && runningByHost[host, default: 0] < perHost
    }

    private func acquire(_ host: String) async {
        if waiters.isEmpty && canStart(host) {
            take(host)
            return
        }
        await withCheckedContinuation { waiters.append((host, $0)) }
    }

    private func take(_ host: String) {
        running += 1
        runningByHost[host, default: 0] += 1
    }

    private func release(_ host: String) {
        running -= 1
        runningByHost[host, default: 0] -= 1
        if runningByHost[host] == 0 { runningByHost[host] = nil }
        // Wake every waiter that can start now, oldest first.
        var index = 0
        while index < waiters.count {
            if canStart(waiters[index].host) {
                let waiter = waiters.remove(at: index)
                take(waiter.host)
                waiter.continuation.resume()
            } else {
                index += 1
            }
        }
    }
}

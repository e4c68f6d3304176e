import Synchronization

/// The one sleep of a scheduler's loop (`Scheduler`, `LeaseScheduler`): until
/// a deadline on `clock`, or indefinitely, ended early by `wake()`. A wake
/// while nobody sleeps is kept, so the next sleep returns at once (nothing
/// that happened between two sleeps is missed).
///
/// The timer ends the sleep it was set for only (a token), never a later one,
/// and resumes the sleeper itself: no hop through the owning actor first.
/// `sleep` runs in its caller's isolation, so an actor's loop stays on the actor.
final class Sleeper<C: Clock>: Sendable where C.Duration == Duration {
    private struct State {
        var continuation: CheckedContinuation<Void, Never>?
        var token = 0
        var wakePending = false
        /// The deadline of the sleep in progress (nil: none, or an unbounded sleep).
        var until: C.Instant?
    }

    private let state = Mutex(State())
    private let clock: C

    init(clock: C) { self.clock = clock }

    /// Whether a sleep is in progress.
    var isAsleep: Bool { state.withLock { $0.continuation != nil } }

    /// Whether a sleep is in progress with no deadline (woken only by `wake()`).
    var isAsleepUnbounded: Bool { state.withLock { $0.continuation != nil && $0.until == nil } }

    /// Whether a sleep is in progress that would end after `instant` (or never):
    /// something due at `instant` needs a wake.
    func sleepsPast(_ instant: C.Instant) -> Bool {
        state.withLock { $0.continuation != nil && $0.until.map { instant < $0 } ?? true }
    }

    /// Suspends until `deadline` (nil: until woken), or returns at once after a pending wake.
    func sleep(until deadline: C.Instant?, isolation: isolated (any Actor)? = #isolation) async {
        let token: Int? = state.withLock {
            if $0.wakePending {
                $0.wakePending = false
                return nil
            }
            $0.token += 1
            return $0.token
        }
        guard let token else { return }
        var timer: Task<Void, Never>?
        if let deadline {
            timer = Task { [clock] in
                do { try await clock.sleep(until: deadline, tolerance: nil) } catch { return } // cancelled: woken otherwise
                self.wake(token: token)
            }
        }
        await withCheckedContinuation(isolation: isolation) { continuation in
            let resumeNow = state.withLock {
                // A wake between the token and here (the timer, another thread) ends this sleep at once.
                if $0.wakePending {
                    $0.wakePending = false
                    return true
                }
                $0.continuation = continuation
                $0.until = deadline
                return false
            }
            if resumeNow { continuation.resume() }
        }
        timer?.cancel()
    }

    /// Ends the sleep in progress, or makes the next one return at once.
    func wake() {
        let continuation: CheckedContinuation<Void, Never>? = state.withLock {
            guard let continuation = $0.continuation else {
                $0.wakePending = true
                return nil
            }
            $0.continuation = nil
            $0.until = nil
            return continuation
        }
        continuation?.resume()
    }

    /// The timer's wake: only for the sleep it was set for.
    private func wake(token: Int) {
        let continuation: CheckedContinuation<Void, Never>? = state.withLock {
            guard $0.token == token else { return nil }
            guard let continuation = $0.continuation else {
                $0.wakePending = true // fired before the sleep stored its continuation
                return nil
            }
            $0.continuation = nil
            $0.until = nil
            return continuation
        }
        continuation?.resume()
    }
}

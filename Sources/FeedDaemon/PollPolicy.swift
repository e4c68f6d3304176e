import Foundation

/// When a source is polled next: its interval, give or take a little jitter,
/// after a success; doubling backoff after failures, capped; never before the
/// upstream's `Retry-After`. Pure, so tests control time.
///
/// The jitter is spread on both sides (interval − jitter … interval + jitter,
/// evenly): it moves each source's phase so sources do not fire together, and
/// leaves the period alone — a source set to 30 s is polled once per 30 s on
/// average, as its config says.
public struct PollPolicy: Sendable {
    public var interval: Duration
    public var maxBackoff: Duration
    /// How far each poll may fall before or after its interval, so sources do not fire together.
    public var maxJitter: Duration
    /// Longest `Retry-After` honoured; a day of silence is the most an upstream can ask.
    public static let maxRetryAfter: Duration = .seconds(86_400)

    public init(interval: Duration, maxBackoff: Duration, maxJitter: Duration? = nil) {
        self.interval = interval
        self.maxBackoff = max(maxBackoff, interval)
        // A tenth of the interval, at most 5 s: small against the interval, enough to spread a burst.
        self.maxJitter = maxJitter ?? min(interval / 10, .seconds(5))
    }

    /// Delay before the first poll after start or reload: within the jitter, so a
    /// restart polls promptly without every source firing at once; at least a
    /// millisecond, so every first poll comes from a wake of the scheduler's
    /// clock (with a drawn 0, one was polled before the scheduler first slept).
    public func firstDelay(random: inout some RandomNumberGenerator) -> Duration {
        max(.milliseconds(1), jitter(&random))
    }

    /// Delay after a poll. `failures` counts consecutive failures including this one
    /// (0 after a success); `retryAfter` is the upstream's wish, if it sent one.
    /// The interval or backoff, ± the jitter (its mean is the interval or backoff);
    /// when `Retry-After` asks for longer, that plus up to the jitter: never sooner.
    public func delay(afterFailures failures: Int, retryAfter: Duration?, random: inout some RandomNumberGenerator) -> Duration {
        var base = interval
        if failures > 0 {
            // interval × 2^failures, capped: 2×, 4×, 8× … up to max_backoff.
            let factor = 1 << min(failures, 30)
            base = interval * factor > maxBackoff || interval * factor < interval ? maxBackoff : interval * factor
        }
        guard let asked = retryAfter.map({ min($0, Self.maxRetryAfter) }) else { return spread(base, &random) }
        return asked >= base ? asked + jitter(&random) : max(asked, spread(base, &random))
    }

    /// `base` moved by up to the jitter either way (never below zero).
    private func spread(_ base: Duration, _ random: inout some RandomNumberGenerator) -> Duration {
        max(.zero, base - maxJitter + jitter(&random) * 2)
    }

    private func jitter(_ random: inout some RandomNumberGenerator) -> Duration {
        let ms = Int64(maxJitter / .milliseconds(1))
        return ms > 0 ? .milliseconds(Int64.random(in: 0...ms, using: &random)) : .zero
    }

    /// `Retry-After` as seconds (`120`) or an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`), relative to `now`.
    public static func parseRetryAfter(_ value: String, now: Date) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(text), seconds >= 0 { return .seconds(seconds) }
        guard let date = HTTPDate.parse(text) else { return nil }
        let delta = date.timeIntervalSince(now)
        return .milliseconds(Int64(max(0, delta) * 1000))
    }
}

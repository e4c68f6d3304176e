import FeedDaemon
import Foundation
import Testing

@Suite("poll schedule: interval, jitter, backoff, Retry-After")
struct PollPolicyTests {
    struct Fixed: RandomNumberGenerator {
        var value: UInt64
        mutating func next() -> UInt64 { value }
    }

    @Test("after a success: the interval, give or take the jitter")
    func success() {
        let p = PollPolicy(interval: .seconds(60), maxBackoff: .seconds(3600))
        #expect(p.maxJitter == .seconds(5))
        var r = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let d = p.delay(afterFailures: 0, retryAfter: nil, random: &r)
            #expect(d >= .seconds(55) && d <= .seconds(65))
        }
    }

    @Test("the jitter spreads evenly on both sides: the mean period is the interval (30 s polled once per 30 s)")
    func jitterKeepsThePeriod() {
        let p = PollPolicy(interval: .seconds(30), maxBackoff: .seconds(3600))
        var low = Fixed(value: 1), high = Fixed(value: .max) // the lowest and highest draws
        let earliest = p.delay(afterFailures: 0, retryAfter: nil, random: &low)
        let latest = p.delay(afterFailures: 0, retryAfter: nil, random: &high)
        #expect(earliest == .seconds(27) && latest == .seconds(33))
        #expect((earliest + latest) / 2 == p.interval)
        // Backoff is spread the same way about 2× the interval.
        #expect(p.delay(afterFailures: 1, retryAfter: nil, random: &low) == .seconds(57))
        #expect(p.delay(afterFailures: 1, retryAfter: nil, random: &high) == .seconds(63))
        // The first poll after a start is within the jitter, after the start (by a wake of the clock).
        #expect(p.firstDelay(random: &low) == .milliseconds(1) && p.firstDelay(random: &high) == .seconds(3))
    }

    @Test("jitter never brings a poll before Retry-After")
    func jitterAfterRetryAfter() {
        let p = PollPolicy(interval: .seconds(30), maxBackoff: .seconds(3600))
        var low = Fixed(value: 1), high = Fixed(value: .max) // the lowest and highest draws
        // Retry-After longer than the backoff (60 s): that, plus up to the jitter.
        #expect(p.delay(afterFailures: 1, retryAfter: .seconds(100), random: &low) == .seconds(100))
        #expect(p.delay(afterFailures: 1, retryAfter: .seconds(100), random: &high) == .seconds(103))
        // Shorter than the backoff but within its jitter: still not before it.
        #expect(p.delay(afterFailures: 1, retryAfter: .seconds(59), random: &low) == .seconds(59))
        #expect(p.delay(afterFailures: 1, retryAfter: .seconds(59), random: &high) == .seconds(63))
    }

    @Test("failures double the delay from the interval up to max_backoff", arguments: [
        (1, 60), (2, 120), (3, 240), (4, 480), (5, 900), (50, 900),
    ])
    func backoff(failures: Int, seconds: Int) {
        let p = PollPolicy(interval: .seconds(30), maxBackoff: .seconds(900), maxJitter: .zero)
        var r = SystemRandomNumberGenerator()
        #expect(p.delay(afterFailures: failures, retryAfter: nil, random: &r) == .seconds(seconds))
    }

    @Test("Retry-After is honoured: never sooner, capped at a day")
    func retryAfter() {
        let p = PollPolicy(interval: .seconds(1), maxBackoff: .seconds(60), maxJitter: .zero)
        var r = SystemRandomNumberGenerator()
        #expect(p.delay(afterFailures: 1, retryAfter: .seconds(7), random: &r) == .seconds(7))
        #expect(p.delay(afterFailures: 1, retryAfter: .seconds(1), random: &r) == .seconds(2))
        #expect(p.delay(afterFailures: 1, retryAfter: .seconds(999_999), random: &r) == .seconds(86_400))
    }

    @Test("Retry-After as seconds or as an HTTP date")
    func parseRetryAfter() {
        let now = Date(timeIntervalSince1970: 1_445_412_480) // Wed, 21 Oct 2015 07:28:00 GMT
        #expect(PollPolicy.parseRetryAfter("120", now: now) == .seconds(120))
        #expect(PollPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now: now) == .seconds(30))
        #expect(PollPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now: now) == .zero)
        #expect(PollPolicy.parseRetryAfter("soon", now: now) == nil)
        #expect(PollPolicy.parseRetryAfter("-5", now: now) == nil)
    }
}

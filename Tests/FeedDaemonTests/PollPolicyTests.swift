import FeedDaemon
import Foundation
import Testing

@Suite("poll schedule: interval, jitter, backoff, Retry-After")
struct PollPolicyTests {
    struct Fixed: RandomNumberGenerator {
        var value: UInt64
        mutating func next() -> UInt64 { value }
    }

    @Test("after a success: the interval plus at most the jitter")
    func success() {
        let p = PollPolicy(interval: .seconds(60), maxBackoff: .seconds(3600))
        #expect(p.maxJitter == .seconds(5))
        var r = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let d = p.delay(afterFailures: 0, retryAfter: nil, random: &r)
            #expect(d >= .seconds(60) && d <= .seconds(65))
        }
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

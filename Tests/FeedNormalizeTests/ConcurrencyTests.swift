import Foundation
import Synchronization
import Testing
@testable import FeedNormalize

/// Many normalizations at once, on the cooperative pool and beyond it:
/// same bytes every time (run under TSan: no reports).
@Suite("Thread safety")
struct ConcurrencyTests {
    @Test func manyThreadsSameResults() async throws {
        let input = try Fixtures.golden("sample-body.html")
        let expected = HTMLNormalizer.normalize(input, articleURL: nil)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    (0..<25).allSatisfy { _ in sameBytes(HTMLNormalizer.normalize(input, articleURL: nil).html, expected.html) }
                }
            }
            for try await same in group { #expect(same) }
        }
    }

    @Test func eightOSThreads() throws {
        let input = try Fixtures.golden("sample-body.html") + "<p><a href=\"/x\">链接</a><img data-src=\"//img.cn/a.jpg\"></p>"
        let expected = HTMLNormalizer.normalize(input, articleURL: "https://finance.example.cn/a.html").html
        let mismatches = Mutex(0)
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<8 {
            Thread.detachNewThread {
                for _ in 0..<25 where !sameBytes(HTMLNormalizer.normalize(input, articleURL: "https://finance.example.cn/a.html").html, expected) {
                    mismatches.withLock { $0 += 1 }
                }
                done.signal()
            }
        }
        for _ in 0..<8 { done.wait() }
        #expect(mismatches.withLock { $0 } == 0)
    }
}

import FeedDaemon
import FeedPipeline
import Foundation
import Testing

@Suite("/metrics: the Prometheus text exposition")
struct DaemonMetricsTests {
    @Test("series at 0 from registration; a poll moves its counters, histogram and last success; label values escaped")
    func exposition() {
        let metrics = DaemonMetrics()
        metrics.register(sources: ["b", "a\"q\\"])
        var text = String(decoding: metrics.exposition(), as: UTF8.self)
        #expect(text.contains("feedd_polls_total{source=\"b\"} 0\n"))
        #expect(text.contains("feedd_polls_total{source=\"a\\\"q\\\\\"} 0\n"))
        #expect(text.contains("feedd_poll_duration_seconds_bucket{source=\"b\",le=\"+Inf\"} 0\n"))

        var ok = SourceReport(name: "b", status: .ok)
        ok.bytes = 1200
        ok.new = 3
        metrics.record(ok, duration: .milliseconds(70), at: Date(timeIntervalSince1970: 1_764_633_600))
        metrics.record(SourceReport(name: "b", status: .notModified), duration: .milliseconds(20), at: Date(timeIntervalSince1970: 1_764_633_630))
        metrics.record(SourceReport(name: "b", status: .failed("x")), duration: .seconds(3), at: Date(timeIntervalSince1970: 1_764_633_660))
        text = String(decoding: metrics.exposition(), as: UTF8.self)
        for line in ["feedd_polls_total{source=\"b\"} 3", "feedd_poll_failures_total{source=\"b\"} 1",
                     "feedd_not_modified_total{source=\"b\"} 1", "feedd_fetched_bytes_total{source=\"b\"} 1200",
                     "feedd_items_new_total{source=\"b\"} 3", "feedd_last_success_timestamp_seconds{source=\"b\"} 1764633630",
                     "feedd_poll_duration_seconds_bucket{source=\"b\",le=\"0.05\"} 1",
                     "feedd_poll_duration_seconds_bucket{source=\"b\",le=\"0.1\"} 2",
                     "feedd_poll_duration_seconds_bucket{source=\"b\",le=\"2\"} 2",
                     "feedd_poll_duration_seconds_bucket{source=\"b\",le=\"5\"} 3",
                     "feedd_poll_duration_seconds_count{source=\"b\"} 3", "feedd_polls_total{source=\"a\\\"q\\\\\"} 0"] {
            #expect(text.contains(line + "\n"), "\(line)")
        }
        // One TYPE line per metric, sources in name order.
        #expect(text.components(separatedBy: "# TYPE feedd_polls_total counter").count == 2)
        let a = text.range(of: "feedd_polls_total{source=\"a")!, b = text.range(of: "feedd_polls_total{source=\"b\"}")!
        #expect(a.lowerBound < b.lowerBound)
    }
}

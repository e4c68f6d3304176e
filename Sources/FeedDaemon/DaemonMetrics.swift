import FeedPipeline
import Foundation
import Metrics
import Prometheus

/// What the daemon counts, through swift-metrics into a Prometheus registry
/// of its own (no global bootstrap, so tests can run several daemons).
public final class DaemonMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [.milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                                                   .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30)]
        self.factory = factory
    }

    /// Records one poll of a source.
    public func record(_ report: SourceReport, duration: Duration, at now: Date) {
        let source = [("source", report.name)]
        Counter(label: "feedd_polls_total", dimensions: source, factory: factory).increment()
        Timer(label: "feedd_poll_duration_seconds", dimensions: source, factory: factory).recordNanoseconds(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
        switch report.status {
        case .failed:
            Counter(label: "feedd_poll_failures_total", dimensions: source, factory: factory).increment()
        case .notModified:
            Counter(label: "feedd_not_modified_total", dimensions: source, factory: factory).increment()
            success(source, now)
        case .ok:
            success(source, now)
        }
        Counter(label: "feedd_fetched_bytes_total", dimensions: source, factory: factory).increment(by: report.bytes)
        Counter(label: "feedd_items_new_total", dimensions: source, factory: factory).increment(by: report.new)
        Counter(label: "feedd_items_updated_total", dimensions: source, factory: factory).increment(by: report.updated)
    }

    private func success(_ source: [(String, String)], _ now: Date) {
        Gauge(label: "feedd_last_success_timestamp_seconds", dimensions: source, factory: factory)
            .record(now.timeIntervalSince1970)
    }

    /// The Prometheus text exposition.
    public func exposition() -> [UInt8] { registry.emitToBuffer() }
}

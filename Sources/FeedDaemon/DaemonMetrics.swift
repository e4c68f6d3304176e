import FeedPipeline
import Foundation
import Metrics
import Prometheus
import Synchronization

/// What the daemon counts, through swift-metrics into a Prometheus registry
/// of its own (no global bootstrap, so tests can run several daemons). Every
/// configured source's series exist from startup at 0 (Prometheus' advice:
/// no missing series); a poll updates handles made once per source, so
/// recording costs the same at 10,000 sources as at 10.
public final class DaemonMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let series = Mutex<[String: SourceSeries]>([:])

    /// One source's metric handles.
    struct SourceSeries: Sendable {
        let polls, failures, notModified, bytes, itemsNew, itemsUpdated: Metrics.Counter
        let duration: Metrics.Timer
        let lastSuccess: Metrics.Gauge

        init(source: String, factory: PrometheusMetricsFactory) {
            let labels = [("source", source)]
            let counter = { (name: String) in Metrics.Counter(label: name, dimensions: labels, factory: factory) }
            polls = counter("feedd_polls_total")
            failures = counter("feedd_poll_failures_total")
            notModified = counter("feedd_not_modified_total")
            bytes = counter("feedd_fetched_bytes_total")
            itemsNew = counter("feedd_items_new_total")
            itemsUpdated = counter("feedd_items_updated_total")
            duration = Metrics.Timer(label: "feedd_poll_duration_seconds", dimensions: labels, factory: factory)
            lastSuccess = Metrics.Gauge(label: "feedd_last_success_timestamp_seconds", dimensions: labels, factory: factory)
        }
    }

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [.milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                                                   .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30)]
        self.factory = factory
    }

    /// Creates the series of every source not seen yet, at 0 (at startup and on reload).
    public func register(sources names: [String]) {
        series.withLock { series in
            for name in names where series[name] == nil {
                let made = SourceSeries(source: name, factory: factory)
                for counter in [made.polls, made.failures, made.notModified, made.bytes, made.itemsNew, made.itemsUpdated] {
                    counter.increment(by: 0)
                }
                series[name] = made
            }
        }
    }

    private func handles(_ name: String) -> SourceSeries {
        if let known = series.withLock({ $0[name] }) { return known }
        register(sources: [name])
        return series.withLock { $0[name]! }
    }

    /// Records one poll of a source.
    public func record(_ report: SourceReport, duration: Duration, at now: Date) {
        let s = handles(report.name)
        s.polls.increment()
        s.duration.recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
        switch report.status {
        case .failed:
            s.failures.increment()
        case .notModified:
            s.notModified.increment()
            s.lastSuccess.record(now.timeIntervalSince1970)
        case .ok:
            s.lastSuccess.record(now.timeIntervalSince1970)
        }
        if report.bytes > 0 { s.bytes.increment(by: report.bytes) }
        if report.new > 0 { s.itemsNew.increment(by: report.new) }
        if report.updated > 0 { s.itemsUpdated.increment(by: report.updated) }
    }

    /// The Prometheus text exposition.
    public func exposition() -> [UInt8] { registry.emitToBuffer() }
}

import FeedPipeline
import Foundation
import Synchronization

/// What the daemon counts per source, exposed in Prometheus' text format.
/// Every configured source's series exist from startup at 0 (Prometheus'
/// advice: no missing series). Counters live in one table keyed by source, so
/// recording a poll is one lookup at 10 sources or 10,000, and registering
/// 10,000 sources is linear (swift-prometheus' registry copies a metric
/// family's table on every new label set: quadratic, 85 % of a 10,000-source
/// daemon's start-up in a profile).
public final class DaemonMetrics: Sendable {
    /// Upper bounds of the poll duration histogram, in seconds.
    static let buckets: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30]

    struct SourceCounters {
        var polls = 0, failures = 0, notModified = 0, bytes = 0, itemsNew = 0, itemsUpdated = 0
        var lastSuccess: Double = 0
        /// Per bucket of `buckets`, the polls that took at most its bound (not cumulative; summed when written).
        var durationBuckets = [Int](repeating: 0, count: DaemonMetrics.buckets.count)
        var durationSum: Double = 0
    }

    private let table = Mutex<[String: SourceCounters]>([:])

    public init() {}

    /// Creates the series of every source not seen yet, at 0 (at startup and on reload).
    public func register(sources names: [String]) {
        table.withLock { table in
            table.reserveCapacity(names.count)
            for name in names where table[name] == nil { table[name] = SourceCounters() }
        }
    }

    /// Records one poll of a source.
    public func record(_ report: SourceReport, duration: Duration, at now: Date) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        let bucket = Self.buckets.firstIndex { seconds <= $0 }
        table.withLock { table in
            table[report.name, default: SourceCounters()].add(report, seconds: seconds, bucket: bucket, now: now)
        }
    }

    /// The Prometheus text exposition (format 0.0.4), sources in name order.
    public func exposition() -> [UInt8] {
        let rows = table.withLock { $0.sorted { $0.key < $1.key } }
        var out = ""
        out.reserveCapacity(rows.count * 900)
        let counters: [(String, KeyPath<SourceCounters, Int>)] = [
            ("feedd_polls_total", \.polls), ("feedd_poll_failures_total", \.failures),
            ("feedd_not_modified_total", \.notModified), ("feedd_fetched_bytes_total", \.bytes),
            ("feedd_items_new_total", \.itemsNew), ("feedd_items_updated_total", \.itemsUpdated),
        ]
        for (name, field) in counters {
            out += "# TYPE \(name) counter\n"
            for (source, c) in rows { out += "\(name){source=\"\(Self.escape(source))\"} \(c[keyPath: field])\n" }
        }
        out += "# TYPE feedd_last_success_timestamp_seconds gauge\n"
        for (source, c) in rows {
            out += "feedd_last_success_timestamp_seconds{source=\"\(Self.escape(source))\"} \(Self.number(c.lastSuccess))\n"
        }
        out += "# TYPE feedd_poll_duration_seconds histogram\n"
        for (source, c) in rows {
            let label = "source=\"\(Self.escape(source))\""
            var cumulative = 0
            for (bound, count) in zip(Self.buckets, c.durationBuckets) {
                cumulative += count
                out += "feedd_poll_duration_seconds_bucket{\(label),le=\"\(Self.number(bound))\"} \(cumulative)\n"
            }
            out += "feedd_poll_duration_seconds_bucket{\(label),le=\"+Inf\"} \(c.polls)\n"
            out += "feedd_poll_duration_seconds_sum{\(label)} \(Self.number(c.durationSum))\n"
            out += "feedd_poll_duration_seconds_count{\(label)} \(c.polls)\n"
        }
        return Array(out.utf8)
    }

    /// A label value as the text format wants it: backslash, double quote and newline escaped.
    static func escape(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\n" }) else { return value }
        return value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Integers without a fraction (`0`, `1764633600`), others as Swift prints them (`0.05`).
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

extension DaemonMetrics.SourceCounters {
    mutating func add(_ report: SourceReport, seconds: Double, bucket: Int?, now: Date) {
        polls += 1
        durationSum += seconds
        if let bucket { durationBuckets[bucket] += 1 }
        switch report.status {
        case .failed: failures += 1
        case .notModified:
            notModified += 1
            lastSuccess = now.timeIntervalSince1970
        case .ok: lastSuccess = now.timeIntervalSince1970
        }
        bytes += report.bytes
        itemsNew += report.new
        itemsUpdated += report.updated
    }
}

/// Strict readers for the quantities a config holds. No guessing: `30` is not
/// a duration and `15 MB` is not a size; the error says what is accepted.
public enum Quantities {
    /// `500ms`, `30s`, `5m`, `2h`, `1d`.
    public static func duration(_ text: String) -> Duration? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (suffix, millis) in units where text.hasSuffix(suffix) {
            let digits = text.dropLast(suffix.count)
            // "5ms" must not be read as "5m" + "s": only the longest suffix that leaves digits counts.
            guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), digits.count <= 12,
                  let n = Int64(digits) else { continue }
            return .milliseconds(n * millis)
        }
        return nil
    }

    /// `512B`, `64KB`, `15MB`, `1GB` (binary multiples: 1KB = 1024 bytes; `KiB`… also accepted).
    public static func size(_ text: String) -> Int? {
        let units: [(String, Int)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30),
                                      ("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30), ("B", 1)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            let digits = text.dropLast(suffix.count)
            guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), digits.count <= 10,
                  let n = Int(digits) else { continue }
            let (value, overflow) = n.multipliedReportingOverflow(by: scale)
            return overflow ? nil : value
        }
        return nil
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension Duration {
    /// Whole seconds, rounded down.
    public var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }
}

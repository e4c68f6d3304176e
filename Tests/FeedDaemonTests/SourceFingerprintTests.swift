import FeedConfig
import FeedDaemon
import FeedTestSupport
import Testing

/// The fingerprint nodes compare to tell whose config differs for which source.
@Suite("source fingerprints")
struct SourceFingerprintTests {
    func sources(_ yaml: String) throws -> [String: String] {
        let folder = TempFolder()
        defer { folder.remove() }
        let config = try ConfigLoader.parse(yaml: "output: ./public\nsources:\n" + yaml, file: folder.file("config.yaml"),
                                            baseDirectory: folder.path)
        return Dictionary(uniqueKeysWithValues: config.sources.map { ($0.name, SourceFingerprint.of($0)) })
    }

    static let base = """
          - name: a
            type: feed
            url: http://127.0.0.1:1/a.xml
            category: 要闻
            headers: {Cookie: "session=1", X-Token: "t"}
          - name: b
            type: feed
            url: http://127.0.0.1:1/b.xml
            category: 要闻

        """

    @Test("the same settings give the same fingerprint, wherever the source stands in the file")
    func stable() throws {
        let first = try sources(Self.base)
        let moved = try sources("""
              - name: b
                type: feed
                url: http://127.0.0.1:1/b.xml
                category: 要闻

            """ + Self.base.components(separatedBy: "  - name: b")[0])
        #expect(first["a"] == moved["a"] && first["b"] == moved["b"])
        #expect(first["a"] != first["b"])
        // FNV-1a (not Swift's per-process seeded Hasher), as 16 hex digits.
        #expect(first["b"]?.count == 16)
    }

    @Test("a changed URL, interval, category or header value (secrets too) changes it", arguments: [
        ("url: http://127.0.0.1:1/a.xml", "url: http://127.0.0.1:1/a2.xml"),
        ("category: 要闻\n    headers", "category: 财经\n    headers"),
        ("session=1", "session=2"),
        ("    type: feed\n    url: http://127.0.0.1:1/a.xml", "    type: feed\n    interval: 5m\n    url: http://127.0.0.1:1/a.xml"),
    ])
    func changes(from: String, to: String) throws {
        let changed = Self.base.replacingOccurrences(of: from, with: to)
        #expect(changed != Self.base)
        let (before, after) = (try sources(Self.base), try sources(changed))
        #expect(before["a"] != after["a"] && before["b"] == after["b"])
    }
}

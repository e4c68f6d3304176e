import FeedTestSupport

extension TempFolder {
    /// Writes `config.yaml` on `storage` (a `postgres://` URL) with feed sources named `sources`
    /// that no test fetches (`http://127.0.0.1:1/NAME.xml`, category 要闻); returns its path.
    func writePostgresConfig(storage: String, sources: [String]) -> String {
        let entries = sources.map { name in
            """
              - name: \(name)
                type: feed
                url: http://127.0.0.1:1/\(name).xml
                category: 要闻
            """
        }
        return write("config.yaml", """
            storage: "\(storage)"
            output: ./public
            sources:
            \(entries.joined(separator: "\n"))
            """)
    }
}

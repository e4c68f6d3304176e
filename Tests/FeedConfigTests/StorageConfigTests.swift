import FeedConfig
import Testing

@Suite("storage: a path or a PostgreSQL URL")
struct StorageConfigTests {
    func config(storage: String) throws(ConfigError) -> Config {
        try ConfigLoader.parse(yaml: """
            storage: "\(storage)"
            sources:
              - name: a
                type: feed
                url: http://127.0.0.1:1/feed.xml
                category: 要闻
            """, file: "/etc/feedd/config.yaml", baseDirectory: "/etc/feedd")
    }

    @Test("a path stays SQLite, resolved against the config's folder")
    func path() throws {
        let c = try config(storage: "data/feedd.sqlite")
        #expect(c.storage == "/etc/feedd/data/feedd.sqlite" && c.postgres == nil)
    }

    @Test("a postgres:// or postgresql:// URL is read into its parts; storage keeps it without the password")
    func url() throws {
        let c = try config(storage: "postgresql://feedd:p%40ss@db.example:6432/feeds?sslmode=require")
        let pg = try #require(c.postgres)
        #expect(pg == PostgresStorage(host: "db.example", port: 6432, user: "feedd", password: "p@ss", database: "feeds",
                                      sslMode: .require))
        #expect(c.storage == "postgres://feedd@db.example:6432/feeds?sslmode=require" && !c.storage.contains("p@ss"))
        let defaults = try #require(try config(storage: "postgres://u@h/d").postgres)
        #expect(defaults.port == 5432 && defaults.sslMode == .prefer && defaults.password == nil)
    }

    @Test("a wrong URL names the file, line, key and part, never the password",
          arguments: [("postgres://:pw@h/d", "no user"), ("postgres://u:pw@h:0/d", "port 0"),
                      ("postgres://u:pw@h/", "no database"), ("postgres://u:pw@h/d?sslmode=always", "sslmode 'always'"),
                      ("postgres://u:pw@h/d?timeout=3", "unknown URL parameter 'timeout'")])
    func mistakes(url: String, expected: String) {
        let error = #expect(throws: ConfigError.self) { _ = try config(storage: url) }
        #expect(error?.file == "/etc/feedd/config.yaml" && error?.line == 1 && error?.keyPath == "storage")
        #expect(error?.message.contains(expected) == true && error?.description.contains("pw@") == false, "\(String(describing: error))")
    }
}

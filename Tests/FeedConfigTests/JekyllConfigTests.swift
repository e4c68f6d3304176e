@testable import FeedConfig
import Testing

@Suite("config.yaml: the jekyll section")
struct JekyllConfigTests {
    static let sources = """
        sources:
          - name: rolling
            type: json
            url: http://example.com/webapi?type=102
            list: records
            fields: {id: infoCode, title: title}
            category: 东财滚动新闻

        """

    func load(_ jekyll: String) throws(ConfigError) -> Config {
        try ConfigLoader.parse(yaml: Self.sources + jekyll, file: "config.yaml", baseDirectory: "/srv/feedd")
    }

    func error(_ jekyll: String) -> ConfigError? {
        do { _ = try load(jekyll); return nil } catch { return error }
    }

    @Test("absent: no posts are written")
    func absent() throws {
        #expect(try load("").jekyll == nil)
    }

    @Test("every key, paths resolved against the config's folder")
    func full() throws {
        let j = try #require(try load("""
            jekyll:
              posts: ./site/_posts
              archive: /var/www/site/old_post
              keep_days: 5
              site_url: //finews.withounder.com
              share_link: "https://example.com/share/{id}.html"
            """).jekyll)
        #expect(j == Config.Jekyll(posts: "/srv/feedd/site/_posts", archive: "/var/www/site/old_post", keepDays: 5,
                                   siteURL: "//finews.withounder.com/", shareLink: "https://example.com/share/{id}.html"))
    }

    @Test("defaults: no archive, 3 days, the old share page")
    func defaults() throws {
        let j = try #require(try load("jekyll: {posts: _posts, site_url: //finews.withounder.com/}\n").jekyll)
        #expect(j.posts == "/srv/feedd/_posts")
        #expect(j.archive == nil)
        #expect(j.keepDays == 3)
        #expect(j.shareLink == "http://finews.zning.xyz/html_News/NewsShare.html?infoCode={id}")
    }

    struct Case: Sendable, CustomStringConvertible {
        let description: String
        let yaml: String
        let line: Int?
        let keyPath: String
        let message: String
    }

    // The jekyll section starts on line 8, after the 7 lines of `sources`.
    static let cases: [Case] = [
        Case(description: "unknown key suggests the closest",
             yaml: "jekyll:\n  posts: _posts\n  site_url: //s/\n  keep_day: 3\n",
             line: 11, keyPath: "jekyll.keep_day", message: "did you mean 'keep_days'?"),
        Case(description: "posts is required",
             yaml: "jekyll:\n  site_url: //s/\n", line: 9, keyPath: "jekyll.posts", message: "missing required key 'posts'"),
        Case(description: "site_url is required",
             yaml: "jekyll:\n  posts: _posts\n", line: 9, keyPath: "jekyll.site_url", message: "missing required key 'site_url'"),
        Case(description: "keep_days must be a whole number",
             yaml: "jekyll:\n  posts: _posts\n  site_url: //s/\n  keep_days: three\n",
             line: 11, keyPath: "jekyll.keep_days", message: "expected a whole number, found 'three'"),
        Case(description: "keep_days must not be negative",
             yaml: "jekyll:\n  posts: _posts\n  site_url: //s/\n  keep_days: -1\n",
             line: 11, keyPath: "jekyll.keep_days", message: "out of range"),
        Case(description: "share link without {id}",
             yaml: "jekyll:\n  posts: _posts\n  site_url: //s/\n  share_link: http://s/share\n",
             line: 11, keyPath: "jekyll.share_link", message: "must contain {id}"),
        Case(description: "share link with a space",
             yaml: "jekyll:\n  posts: _posts\n  site_url: //s/\n  share_link: \"http://s/a b?id={id}\"\n",
             line: 11, keyPath: "jekyll.share_link", message: "must not contain spaces"),
        Case(description: "site_url that is no URL",
             yaml: "jekyll:\n  posts: _posts\n  site_url: finews.withounder.com\n",
             line: 10, keyPath: "jekyll.site_url", message: "is not a site URL"),
        Case(description: "archive is the posts folder",
             yaml: "jekyll:\n  posts: ./site/_posts\n  archive: site/_posts\n  site_url: //s/\n",
             line: 10, keyPath: "jekyll.archive", message: "another folder"),
        Case(description: "a list where the mapping goes",
             yaml: "jekyll: [_posts]\n", line: 8, keyPath: "jekyll", message: "expected a mapping, found a list"),
        Case(description: "misspelled section",
             yaml: "jekyl:\n  posts: _posts\n", line: 8, keyPath: "jekyl", message: "did you mean 'jekyll'?"),
    ]

    @Test("each mistake is reported with line and key path", arguments: cases)
    func mistake(_ c: Case) throws {
        let e = try #require(error(c.yaml))
        #expect(e.file == "config.yaml")
        #expect(e.line == c.line, "\(e)")
        #expect(e.keyPath == c.keyPath, "\(e)")
        #expect(e.message.contains(c.message), "\(e)")
    }
}

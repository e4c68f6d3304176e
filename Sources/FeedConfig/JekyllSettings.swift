extension Config {
    /// `jekyll:`: every stored item also becomes a post of the Jekyll site the
    /// old system fed (`_posts/<YYYY-MM-DD>-<infoCode>.md`), and posts past
    /// `keepDays` move to `archive`.
    public struct Jekyll: Sendable, Equatable {
        /// The `_posts` folder; resolved against the config file's folder, like `storage`.
        public var posts: String
        /// Where posts past `keepDays` move (the old site's `old_post`); nil: they stay in `posts`.
        public var archive: String?
        /// A post stays in `posts` while it is at most this many calendar days old (site zone).
        public var keepDays: Int
        /// The site's root for the back links under each post, ending in `/`: `//finews.withounder.com/`.
        public var siteURL: String
        /// The share link under each post; `{id}` stands for the info code.
        public var shareLink: String

        /// The old system's share page, which the existing posts link to.
        public static let defaultShareLink = "http://finews.zning.xyz/html_News/NewsShare.html?infoCode={id}"
        public static let defaultKeepDays = 3

        public init(posts: String, archive: String? = nil, keepDays: Int = defaultKeepDays, siteURL: String,
                    shareLink: String = defaultShareLink) {
            self.posts = posts
            self.archive = archive
            self.keepDays = keepDays
            self.siteURL = siteURL
            self.shareLink = shareLink
        }
    }
}

extension ConfigLoader {
    static let jekyllKeys = ["posts", "archive", "keep_days", "site_url", "share_link"]

    /// `jekyll:` (optional): `posts` and `site_url` required; `archive`, `keep_days`, `share_link` optional.
    static func readJekyll(_ value: YAMLValue?, base: String) throws(ConfigError) -> Config.Jekyll? {
        guard let value else { return nil }
        let m = try value.mapping(allowed: jekyllKeys)
        let posts = resolve(try m.required("posts").string(), against: base)
        var archive: String?
        if let a = m.optional("archive") {
            archive = resolve(try a.string(), against: base)
            if archive == posts { throw a.error("the archive must be another folder than 'posts'") }
        }
        let keepDays = try m.optional("keep_days")?.int(in: 0...36_500) ?? Config.Jekyll.defaultKeepDays
        let siteValue = try m.required("site_url")
        var siteURL = try siteValue.string()
        // Protocol-relative (`//host/`) is what the old site used; absolute and root-relative work too.
        guard ["//", "http://", "https://", "/"].contains(where: siteURL.hasPrefix), !siteURL.contains(where: \.isWhitespace) else {
            throw siteValue.error("'\(siteURL)' is not a site URL: write //host/, https://host/ or /path/")
        }
        if !siteURL.hasSuffix("/") { siteURL += "/" }
        var shareLink = Config.Jekyll.defaultShareLink
        if let s = m.optional("share_link") {
            shareLink = try s.string()
            guard shareLink.contains("{id}") else { throw s.error("the share link must contain {id}") }
            // `<…>` encloses the link in the post: a space or `>` would end it early.
            guard !shareLink.contains(where: { $0.isWhitespace || $0 == ">" || $0 == "<" }) else {
                throw s.error("the share link must not contain spaces, '<' or '>'")
            }
        }
        return Config.Jekyll(posts: posts, archive: archive, keepDays: keepDays, siteURL: siteURL, shareLink: shareLink)
    }
}

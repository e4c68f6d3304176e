import FeedModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads `config.yaml` into a checked `Config`. Nothing is fetched.
public enum ConfigLoader {
    static let topKeys = ["site", "storage", "output", "feeds", "poll", "sources", "categories", "server", "websub", "jekyll",
                          "images", "rules", "topics", "stories"]
    static let siteKeys = ["title", "url", "language", "timezone", "pages"]
    static let pollKeys = ["interval", "concurrency", "timeout", "max_body", "user_agent", "per_host", "max_backoff"]
    static let commonSourceKeys = ["name", "type", "url", "interval", "category", "rules"] + requestKeys

    /// Reads and checks the file at `path`.
    public static func load(path: String) throws(ConfigError) -> Config {
        let text = try readText(path: path)
        let folder = (URL(fileURLWithPath: path).deletingLastPathComponent().path)
        defer { releaseParseMemory() }
        return try parse(yaml: text, file: path, baseDirectory: folder)
    }

    /// The file's text; its bytes are let go before the text is parsed (2.5 MB at 10,000 sources).
    static func readText(path: String) throws(ConfigError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: nil, keyPath: "", message: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, line: nil, keyPath: "", message: "the file is not UTF-8")
        }
        return text
    }

    /// The YAML tree of a large config (10,000 sources: 60,000 lines, about
    /// 8 MB in `YAMLDocument`) is freed when `parse` returns but left
    /// scattered among the config's own allocations. Handing the free pages
    /// back to the system at once keeps what stays resident to what the
    /// config needs.
    static func releaseParseMemory() {
        #if canImport(Glibc)
        // glibc's malloc_trim (not in Swift's Glibc module): looked up once in the process's own symbols.
        if let trim = mallocTrim { _ = trim(0) }
        #endif
    }

    #if canImport(Glibc)
    private typealias MallocTrim = @convention(c) (Int) -> Int32
    private static let mallocTrim: MallocTrim? = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim")
        .map { unsafeBitCast($0, to: MallocTrim.self) }
    #endif

    /// Checks YAML text; relative paths are resolved against `baseDirectory`.
    public static func parse(yaml: String, file: String, baseDirectory: String) throws(ConfigError) -> Config {
        let document: YAMLDocument?
        do {
            document = try YAMLDocument.parse(yaml)
        } catch {
            throw yamlError(error, file: file)
        }
        guard let root = document?.root else {
            throw ConfigError(file: file, line: nil, keyPath: "", message: "the file is empty")
        }
        let top = try YAMLValue(node: root, keyPath: "", file: file).mapping(allowed: topKeys)

        let site = try readSite(top.optional("site"))
        let (storage, postgres) = try readStorage(top.optional("storage"), base: baseDirectory)
        let output = resolve(try top.optional("output")?.string() ?? "./public", against: baseDirectory)
        var items = 100
        if let feeds = try top.optional("feeds")?.mapping(allowed: ["items"]) {
            items = try feeds.optional("items")?.int(in: 1...10_000) ?? items
        }
        let poll = try readPoll(top.optional("poll"))
        let sources = try readSources(top.required("sources"), base: baseDirectory)
        let categories = try readCategories(top.optional("categories"))
        var config = Config(file: file, site: site, storage: storage, output: output,
                            feeds: .init(items: items), poll: poll, sources: sources, categories: categories,
                            server: try readServer(top.optional("server")), websub: try readWebSub(top.optional("websub")),
                            jekyll: try readJekyll(top.optional("jekyll"), base: baseDirectory),
                            images: try readImages(top.optional("images")),
                            stories: try readStories(top.optional("stories")))
        var mistakes = ConfigMistakes() // every rule and topic is read, so all their mistakes are reported
        var rules = try readRuleBook(top, mistakes: &mistakes)
        config.topics = try readTopics(top.optional("topics"), config: config, book: &rules, mistakes: &mistakes)
        try mistakes.check()
        config.rules = rules
        config.postgres = postgres
        return config
    }

    static func yamlError(_ e: YAMLSyntaxError, file: String) -> ConfigError {
        let message = switch e.kind {
        case .syntax: "YAML syntax: \(e.message)"
        case .duplicateKeys: e.message
        case .characters: "YAML: \(e.message)"
        }
        return ConfigError(file: file, line: e.line, keyPath: "", message: message)
    }

    /// A path (SQLite, resolved against the config's folder) or a PostgreSQL URL (kept without its password).
    static func readStorage(_ value: YAMLValue?, base: String) throws(ConfigError) -> (String, PostgresStorage?) {
        guard let value else { return (resolve("./data/feedd.sqlite", against: base), nil) }
        let text = try value.string()
        guard PostgresStorage.isURL(text) else { return (resolve(text, against: base), nil) }
        switch PostgresStorage.parse(text) {
        case .success(let postgres): return (postgres.redacted, postgres)
        case .failure(let mistake): throw value.error("PostgreSQL URL: \(mistake.message)")
        }
    }

    static func resolve(_ path: String, against base: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: base).appendingPathComponent(path).standardized.path
    }

    static func readSite(_ value: YAMLValue?) throws(ConfigError) -> Config.Site {
        var site = Config.Site(title: "feedd", url: "http://localhost:8080/", language: "zh-CN",
                               timezone: TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!)
        guard let value else { return site }
        let m = try value.mapping(allowed: siteKeys)
        site.title = try m.optional("title")?.string() ?? site.title
        if let url = m.optional("url") {
            var text = try url.string()
            guard let parsed = URL(string: text), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
                  parsed.host != nil else {
                throw url.error("'\(text)' is not an absolute http(s) URL")
            }
            if !text.hasSuffix("/") { text += "/" }
            site.url = text
        }
        site.language = try m.optional("language")?.string() ?? site.language
        if let tz = m.optional("timezone") {
            let name = try tz.string()
            guard let zone = TimeZone(identifier: name) else { throw tz.error("unknown time zone '\(name)' (e.g. Asia/Shanghai)") }
            site.timezone = zone
        }
        if let pages = m.optional("pages") {
            let text = try pages.string()
            switch text.lowercased() {
            case "on", "true", "yes": site.pages = true
            case "off", "false", "no": site.pages = false
            default: throw pages.error("'\(text)' is not a setting of site.pages; write on or off")
            }
        }
        return site
    }

    static func readPoll(_ value: YAMLValue?) throws(ConfigError) -> Config.PollSettings {
        var poll = Config.PollSettings.defaults
        guard let value else { return poll }
        let m = try value.mapping(allowed: pollKeys)
        poll.interval = try m.optional("interval")?.duration() ?? poll.interval
        poll.concurrency = try m.optional("concurrency")?.int(in: 1...64) ?? poll.concurrency
        poll.timeout = try m.optional("timeout")?.duration() ?? poll.timeout
        poll.maxBody = try m.optional("max_body")?.size() ?? poll.maxBody
        if let agent = m.optional("user_agent") { poll.userAgent = try headerValue(agent) }
        poll.perHost = try m.optional("per_host")?.int(in: 1...64) ?? poll.perHost
        poll.maxBackoff = try m.optional("max_backoff")?.duration() ?? poll.maxBackoff
        return poll
    }

    static func readSources(_ value: YAMLValue, base: String) throws(ConfigError) -> [SourceConfig] {
        let list = try value.sequence()
        guard !list.isEmpty else { throw value.error("at least one source is needed") }
        var seen: [String: Int] = [:]
        var sources: [SourceConfig] = []
        sources.reserveCapacity(list.count) // grown by doubling, 10,000 sources held 24,576 places at once (7.7 MB)
        for item in list {
            let source = try readSource(item, base: base)
            if let first = seen[source.name] {
                throw ConfigError(file: item.file, line: item.line, keyPath: "\(item.keyPath).name",
                                  message: "duplicate source name '\(source.name)' (first at line \(first))")
            }
            seen[source.name] = item.line ?? 0
            sources.append(source)
        }
        return sources
    }

    static func readSource(_ value: YAMLValue, base: String) throws(ConfigError) -> SourceConfig {
        // The type decides which keys are allowed, so it is read first.
        let typeValue = try value.mapping(allowed: nil).required("type")
        let type = try typeValue.string()
        guard let kind = sourceKinds[type] else {
            let known = sourceKinds.keys.sorted()
            let hint = Suggestion.closest(to: type, among: known).map { "; did you mean '\($0)'?" } ?? ""
            throw typeValue.error("unknown source type '\(type)'\(hint) (known: \(known.joined(separator: ", ")))")
        }
        let m = try value.mapping(allowed: commonSourceKeys + kind.keys)
        let name = try m.required("name").string()
        let source = SourceContext(name: name, value: value, mapping: m, base: base)
        return SourceConfig(name: name, url: fileURL(try readURL(m.required("url")), base: base),
                            interval: try m.optional("interval")?.duration(),
                            category: try m.optional("category")?.string(),
                            kind: try kind.read(source), request: try readRequest(m), line: value.line)
    }

    static func readURL(_ value: YAMLValue, text: String? = nil) throws(ConfigError) -> String {
        let raw = try value.string()
        let checked = text ?? raw
        guard let url = URL(string: checked), let scheme = url.scheme?.lowercased(),
              ["http", "https", "file"].contains(scheme) else {
            throw value.error("'\(raw)' is not an http, https or file URL")
        }
        return raw
    }

    /// `file:upstream/list.json` (no slashes after the colon) is relative to the
    /// config file's folder, so a demo config works wherever the repo is cloned.
    static func fileURL(_ url: String, base: String) -> String {
        guard url.hasPrefix("file:"), !url.hasPrefix("file:/") else { return url }
        return "file://" + resolve(String(url.dropFirst(5)), against: base)
    }

    static func readCategories(_ value: YAMLValue?) throws(ConfigError) -> [String: Config.CategorySettings] {
        guard let value else { return [:] }
        var out: [String: Config.CategorySettings] = [:]
        var slugs: [String: String] = [:]
        for (name, settings) in try value.namedMapping() {
            let m = try settings.mapping(allowed: ["slug", "rules"])
            var slug: Slug?
            if let s = m.optional("slug") {
                let text = try s.string()
                guard let valid = Slug(validating: text) else {
                    throw s.error("'\(text)' is not a usable slug: 1–64 of a-z, 0-9 and '-', not 'all'")
                }
                if let other = slugs[text] { throw s.error("slug '\(text)' is already used by category '\(other)'") }
                slugs[text] = name
                slug = valid
            }
            out[name] = .init(slug: slug)
        }
        return out
    }
}

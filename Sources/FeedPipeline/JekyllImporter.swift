import FeedConfig
import FeedModel
import FeedNormalize
import FeedRender
import FeedStore
import FeedStorePostgres
import Logging
import Foundation

/// `feedd import jekyll`: takes the old site's posts into the store, so the
/// feeds (and the posts feedd writes) carry the history the site already has.
///
/// Each post becomes an item with its info code, title, original date and one
/// category; its body (without the share link and back links) is normalized
/// like any upstream body. Identity is the info code: a post whose code is
/// stored already is left alone, so importing twice adds nothing, and an
/// imported article that upstream lists later is the same item.
public struct JekyllImporter: Sendable {
    let config: Config
    public let store: any Store
    let reader: JekyllPostReader

    /// The name the import's runs are recorded under in the store's source states.
    public static let sourceName = "jekyll import"

    public init(config: Config, store: any Store) {
        self.config = config
        self.store = store
        reader = JekyllPostReader(shareLink: config.jekyll?.shareLink ?? Config.Jekyll.defaultShareLink,
                                  timezone: config.site.timezone)
    }

    /// Opens the config's store (`StoreBackend.open`: SQLite or PostgreSQL).
    public static func open(config: Config, logger: Logger) async throws(StoreError) -> JekyllImporter {
        JekyllImporter(config: config, store: try await StoreBackend.open(config, logger: logger, pool: BlockingPool.shared))
    }

    /// Imports the posts in `paths` (folders, searched recursively for `.md`
    /// and `.markdown` files, or single files), then renders the feeds and, when
    /// configured, the Jekyll posts. Files that cannot be imported are skipped
    /// with the reason; the rest is imported.
    public func run(paths: [String], now: Date) async -> JekyllImportReport {
        var report = JekyllImportReport()
        let stored: [CategorySummary]
        do {
            stored = try await store.categories()
        } catch {
            // Only the slugs already stored are unknown: names then come from the posts' tags.
            report.warnings.append("stored categories unreadable, names from the posts' tags: \(error)")
            stored = []
        }
        var batch = Batch(resolver: CategoryResolver(config: config, stored: stored))
        let files = collectFiles(paths, into: &report)
        // A few hundred posts at a time: a long history is never held in memory
        // whole, and one failed transaction loses one batch, not the import.
        for start in stride(from: 0, to: files.count, by: Self.batchSize) {
            await importBatch(files[start..<min(start + Self.batchSize, files.count)], now: now, batch: &batch, report: &report)
        }
        report.warnings += batch.resolver.warnings
        let feeds = await FeedRenderer(config: config, store: store).renderAll()
        let rendered = feeds.adding(await JekyllPublisher(config: config, store: store)?.publish(now: now, also: batch.imported))
        report.filesWritten = rendered.filesWritten
        report.errors += rendered.errors
        return report
    }

    static let batchSize = 500

    /// What carries over from one batch to the next.
    private struct Batch {
        var resolver: CategoryResolver
        /// The file each code was first read from, to report a code met twice.
        var firstPath: [InfoCode: String] = [:]
        var imported: [InfoCode] = []
    }

    private func importBatch(_ files: ArraySlice<String>, now: Date, batch: inout Batch, report: inout JekyllImportReport) async {
        var posts: [JekyllPostFile] = []
        for file in files {
            report.files += 1
            do {
                let post = try reader.read(path: file)
                if let first = batch.firstPath[post.infoCode] {
                    report.alreadyPresent += 1
                    report.warnings.append("\(file): same info code \(post.infoCode) as \(first); the first is kept")
                    continue
                }
                batch.firstPath[post.infoCode] = file
                posts.append(post)
            } catch {
                report.skipped.append(error)
            }
        }
        do {
            let known = try await store.knownCodes(posts.map(\.infoCode))
            report.alreadyPresent += known.count
            var incoming: [IncomingItem] = []
            for post in posts where !known.contains(post.infoCode) {
                guard let category = batch.resolver.category(for: post) else {
                    report.skipped.append(JekyllImportProblem(file: post.path, line: nil,
                                                              message: "no category: the front matter has neither 'categories' nor 'tags'"))
                    continue
                }
                incoming.append(Self.item(post, category: category))
            }
            let state = SourceState(name: Self.sourceName, lastPoll: now, lastSuccess: now, lastResult: .ok,
                                    itemsListed: posts.count, itemsNew: incoming.count)
            report.imported += try await store.apply(items: incoming, source: state, validators: nil, now: now).new
            batch.imported += incoming.map(\.infoCode)
        } catch {
            report.errors.append("\(error)")
        }
    }

    /// The item of a post: the body normalized as an upstream body is.
    static func item(_ post: JekyllPostFile, category: Category) -> IncomingItem {
        let normalized = HTMLNormalizer.normalize(post.body, articleURL: post.shareLink)
        return IncomingItem(infoCode: post.infoCode, title: post.title, summary: normalized.summary,
                            body: .init(html: normalized.html, raw: post.body, outlet: normalized.outlet,
                                        normalizerVersion: HTMLNormalizer.version),
                            link: post.shareLink, published: post.date, categories: [category])
    }

    /// The post files under `paths`, in a stable order; missing paths are skipped with a problem.
    private func collectFiles(_ paths: [String], into report: inout JekyllImportReport) -> [String] {
        var files: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                report.skipped.append(JekyllImportProblem(file: path, line: nil, message: "no such file or folder"))
                continue
            }
            guard isFolder.boolValue else {
                files.append(path)
                continue
            }
            let found = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String]) ?? []
            files += found.filter { relative in
                // Hidden files and folders (.git, half-written temp files) are not posts.
                [".md", ".markdown"].contains(where: relative.hasSuffix)
                    && !relative.split(separator: "/").contains { $0.hasPrefix(".") }
            }.sorted().map { (path as NSString).appendingPathComponent($0) }
        }
        return files
    }
}

/// Which category an imported post goes in.
///
/// The post names its category twice: `categories:` (the old site's slug,
/// `xinhuacaijing`) and `tags:` (the name and 新闻, `新华财经新闻`). The name
/// is what feedd files items under, so that upstream items of the same outlet
/// land in the same feed: a slug configured or already stored gives the name;
/// else the tag without 新闻 (or the whole tag, when that name's slug is the
/// post's). The slug is then the config's for that name; when it differs from
/// the post's, a warning says how to keep the old one.
struct CategoryResolver {
    let config: Config
    /// Slug → name, from `categories:` in the config and from the store.
    let known: [String: String]
    private(set) var warnings: [String] = []
    private var warned: Set<String> = []

    init(config: Config, stored: [CategorySummary]) {
        self.config = config
        var known: [String: String] = [:]
        for summary in stored { known[summary.category.slug.rawValue] = summary.category.name }
        for (name, settings) in config.categories {
            if let slug = settings.slug { known[slug.rawValue] = name }
        }
        self.known = known
    }

    mutating func category(for post: JekyllPostFile) -> Category? {
        var names: [String] = []
        if let slug = post.categorySlug, let name = known[slug] { names.append(name) }
        if let tag = post.tag {
            if tag.hasSuffix(JekyllPost.newsSuffix), tag.count > JekyllPost.newsSuffix.count {
                names.append(String(tag.dropLast(JekyllPost.newsSuffix.count)))
            }
            names.append(tag)
        }
        // No name but the slug: the slug has to serve as the name too.
        if names.isEmpty, let slug = post.categorySlug { names.append(slug) }
        guard let fallback = names.first else { return nil }
        let matching = names.first { config.category(named: $0).category.slug.rawValue == post.categorySlug }
        let category = config.category(named: matching ?? fallback).category
        if let slug = post.categorySlug, slug != category.slug.rawValue, warned.insert("\(category.name)|\(slug)").inserted {
            warnings.append("category '\(category.name)': the posts use slug '\(slug)', feedd uses '\(category.slug)'; "
                + "to keep the old one, add to the config: categories: {\(category.name): {slug: \(slug)}}")
        }
        return category
    }
}

/// What an import did, for the command's lines and exit status.
public struct JekyllImportReport: Sendable {
    /// Post files found.
    public var files = 0
    public var imported = 0
    /// Posts whose info code was stored already (or appeared twice in this import).
    public var alreadyPresent = 0
    public var skipped: [JekyllImportProblem] = []
    public var warnings: [String] = []
    /// Feed and post files written after the import.
    public var filesWritten = 0
    /// Failures of the store or the rendering.
    public var errors: [String] = []

    /// 0 when every post was imported or already present; 1 when some were
    /// skipped or something failed (the rest is imported all the same).
    public var exitCode: Int32 { skipped.isEmpty && errors.isEmpty ? 0 : 1 }

    /// `imported 12, already present 3, skipped 1; 14 files written`.
    public var totalLine: String {
        "imported \(imported), already present \(alreadyPresent), skipped \(skipped.count); \(filesWritten) files written"
    }
}

import FeedConfig
import FeedModel
import FeedRender
import FeedStore
import Foundation

/// Reads a category's newest items from the store and writes its RSS and Atom
/// files under `output/<slug>/`.
public struct FeedRenderer: Sendable {
    let config: Config
    let store: FeedStore

    public struct Outcome: Sendable {
        public var filesWritten = 0
        public var errors: [String] = []
    }

    var site: SiteInfo {
        SiteInfo(title: config.site.title, url: config.site.url, language: config.site.language, timezone: config.site.timezone)
    }

    public func renderAll() -> Outcome { render(nil) }

    /// nil renders every category.
    public func render(_ slugs: Set<Slug>?) -> Outcome {
        var outcome = Outcome()
        let categories: [Category]
        do {
            categories = [Category.all] + (try store.categories()).map(\.category)
        } catch {
            outcome.errors.append("\(error)")
            return outcome
        }
        for category in categories where slugs?.contains(category.slug) ?? true {
            do {
                let items = try store.items(in: category.slug, limit: config.feeds.items)
                let channel = FeedChannel(site: site, category: category)
                let folder = config.output + "/" + category.slug.rawValue
                if try AtomicFile.write(RSSWriter.render(channel, items: items), to: folder + "/rss.xml") { outcome.filesWritten += 1 }
                if try AtomicFile.write(AtomWriter.render(channel, items: items), to: folder + "/atom.xml") { outcome.filesWritten += 1 }
            } catch {
                outcome.errors.append("rendering \(category): \(error)")
            }
        }
        return outcome
    }
}

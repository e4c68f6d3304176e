import FeedModel
import FeedRender
import Foundation

/// The site's pages beside a category's feeds: its `index.html` and one page
/// per item of its feed, `<infoCode>.html`. They are written with the feeds,
/// so a render of the changed categories writes only their pages (and the
/// front page), and only files whose bytes change. An item's page is removed
/// from a category's folder when the item left that category's feed, so an
/// item that left every feed has no page left, and the feeds' item limit
/// bounds the site.
extension FeedRenderer {
    /// How many headlines the front page shows of each category, and of `all`.
    static let headlines = 5
    static let allHeadlines = 8

    func writePages(_ channel: FeedChannel, items: [Item], folder: String, files: inout AtomicFile.Batch,
                    into outcome: inout Outcome) throws(AtomicFile.WriteError) {
        if try files.write(CategoryPage.render(channel, items: items), to: folder + "/index.html") {
            outcome.filesWritten += 1
        }
        var kept: Set<String> = ["index.html"]
        for item in items {
            let name = PageShell.articleFile(item)
            kept.insert(name)
            if try files.write(ItemPage.render(channel, item: item), to: folder + "/" + name) {
                outcome.filesWritten += 1
            }
        }
        outcome.errors += Self.removePages(in: folder, keeping: kept)
    }

    /// Deletes the `.html` files in `folder` not named in `kept` (pages of items that left its feed).
    /// Returns a sentence per file that could not be removed.
    static func removePages(in folder: String, keeping kept: Set<String>) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            return ["cannot list \(folder) to remove old pages: \(error.localizedDescription)"]
        }
        var errors: [String] = []
        for name in names where name.hasSuffix(".html") && !name.hasPrefix(".") && !kept.contains(name) {
            if unlink(folder + "/" + name) != 0, errno != ENOENT {
                errors.append("cannot remove \(folder)/\(name): \(String(cString: strerror(errno)))")
            }
        }
        return errors
    }
}

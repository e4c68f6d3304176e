import FeedModel
import FeedNormalize
import FeedStore

/// `feedd renormalize`: runs the current normalizer over the upstream bodies
/// kept in the store, so a fix in the normalizer reaches items stored before it.
extension Pipeline {
    public struct RenormalizeReport: Sendable {
        public var examined = 0
        public var changed = 0
        public var filesWritten = 0
        public var errors: [String] = []
    }

    /// Items from older normalizer versions (every item with `all`), in
    /// batches of 500, one transaction each; then the changed feeds are rendered.
    public func renormalize(all: Bool = false) async -> RenormalizeReport {
        var report = RenormalizeReport()
        var slugs = Set<Slug>()
        var after = ""
        do {
            while true {
                let batch = try await store.rawBodies(olderThan: HTMLNormalizer.version, all: all, after: after, limit: 500)
                guard let last = batch.last else { break }
                after = last.infoCode.rawValue
                let bodies = batch.map { item in
                    let n = HTMLNormalizer.normalize(item.raw, articleURL: item.link)
                    return (code: item.infoCode, html: n.html, outlet: n.outlet, version: HTMLNormalizer.version)
                }
                let result = try await store.replaceBodies(bodies)
                report.examined += batch.count
                report.changed += result.changed
                slugs.formUnion(result.slugs)
            }
        } catch {
            report.errors.append("\(error)")
        }
        if !slugs.isEmpty {
            let outcome = await render(slugs)
            report.filesWritten = outcome.filesWritten
            report.errors += outcome.errors
        }
        return report
    }
}

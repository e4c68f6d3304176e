import FeedConfig
import FeedModel
import FeedNormalize

/// `images:` applied where items leave feedd (feeds and Jekyll posts), over
/// the stored normalized bodies: a changed setting shows at the next render.
extension Config {
    var imagePolicy: ImagePolicy { ImagePolicy(noReferrer: images.noReferrer, proxy: images.proxy) }
}

extension ImagePolicy {
    /// The item as it is written out: its body's images under this policy.
    func presenting(_ item: Item) -> Item {
        guard !isIdentity, !item.body.isEmpty else { return item }
        var shown = item
        shown.body = apply(item.body)
        return shown
    }

    /// For the render fingerprint: a changed policy re-renders after a restart.
    var fingerprint: String { "images \(noReferrer) \(proxy ?? "-")" }
}

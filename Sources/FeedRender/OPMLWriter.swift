import FeedModel

/// OPML 2.0 listing every category feed, so a reader imports them all at once.
/// Titles are plain text (attribute values and `<title>`).
public enum OPMLWriter {
    public static func render(site: SiteInfo, categories: [Category]) -> [UInt8] {
        var w = MarkupWriter()
        w.start("opml", ["version": "2.0"])
        w.start("head")
        w.text("title", PlainText(site.title))
        w.end()
        w.start("body")
        for category in categories {
            let channel = FeedChannel(site: site, category: category)
            w.empty("outline", ["type": "rss", "text": channel.title.string, "title": channel.title.string,
                                "xmlUrl": channel.rssURL, "htmlUrl": site.url])
        }
        return w.finish()
    }
}

import FeedModel

/// OPML 2.0 listing every category feed, so a reader imports them all at once.
public enum OPMLWriter {
    public static func render(site: SiteInfo, categories: [Category]) -> [UInt8] {
        let w = XMLWriter()
        w.start("opml", ["version": "2.0"])
        w.start("head")
        w.element("title", site.title)
        w.end()
        w.start("body")
        for category in categories {
            let channel = FeedChannel(site: site, category: category)
            w.empty("outline", ["type": "rss", "text": channel.title, "title": channel.title,
                                "xmlUrl": channel.rssURL, "htmlUrl": site.url])
        }
        w.end()
        w.end()
        return w.finish()
    }
}

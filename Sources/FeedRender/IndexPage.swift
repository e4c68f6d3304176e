import FeedModel
import Foundation

/// `index.html`: every category with its item count, newest item time and
/// subscribe links, and `<link rel="alternate">` tags so readers given the
/// site's address discover the feeds themselves. Well-formed XHTML-compatible
/// HTML5, so it parses as XML too.
public enum IndexPage {
    public struct Entry: Sendable {
        public var category: Category
        public var itemCount: Int
        public var newest: Date?

        public init(category: Category, itemCount: Int, newest: Date?) {
            self.category = category
            self.itemCount = itemCount
            self.newest = newest
        }
    }

    public static func render(site: SiteInfo, entries: [Entry]) -> [UInt8] {
        var html = """
        <!DOCTYPE html>
        <html lang="\(escape(site.language))">
        <head>
        <meta charset="utf-8"/>
        <title>\(escape(site.title))</title>

        """
        for entry in entries {
            let c = FeedChannel(site: site, category: entry.category)
            html += "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"\(escape(c.title))\" href=\"\(escape(c.rssURL))\"/>\n"
            html += "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"\(escape(c.title))\" href=\"\(escape(c.atomURL))\"/>\n"
            html += "<link rel=\"alternate\" type=\"application/feed+json\" title=\"\(escape(c.title))\" href=\"\(escape(c.jsonFeedURL))\"/>\n"
        }
        html += """
        </head>
        <body>
        <h1>\(escape(site.title))</h1>
        <p><a href="\(escape(site.url))opml.xml">OPML</a></p>
        <table>
        <thead><tr><th>分类</th><th>条目</th><th>最新</th><th>订阅</th></tr></thead>
        <tbody>

        """
        for entry in entries {
            let c = FeedChannel(site: site, category: entry.category)
            let newest = entry.newest.map { FeedDates.rfc3339($0, in: site.timezone) } ?? "—"
            html += "<tr class=\"category\" data-slug=\"\(escape(entry.category.slug.rawValue))\"><td>\(escape(entry.category.name))</td>"
                + "<td class=\"count\">\(entry.itemCount)</td><td class=\"newest\">\(escape(newest))</td>"
                + "<td><a href=\"\(escape(c.rssURL))\">RSS</a> <a href=\"\(escape(c.atomURL))\">Atom</a>"
                + " <a href=\"\(escape(c.jsonFeedURL))\">JSON</a></td></tr>\n"
        }
        html += "</tbody>\n</table>\n</body>\n</html>\n"
        return Array(html.utf8)
    }

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in XMLText.clean(s) {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}

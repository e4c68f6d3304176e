/// The XML namespaces feeds use, and which of them count as "the format's own".
enum FeedNamespaces {
    static let atom10 = "http://www.w3.org/2005/Atom"
    static let atom03 = "http://purl.org/atom/ns#"
    static let rss10 = "http://purl.org/rss/1.0/"
    /// RSS 0.90 was RDF too, under Netscape's namespace.
    static let rss090 = "http://my.netscape.com/rdf/simple/0.9/"
    static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let content = "http://purl.org/rss/1.0/modules/content/"
    static let dc = "http://purl.org/dc/elements/1.1/"
    static let xhtml = "http://www.w3.org/1999/xhtml"

    /// RSS core elements: no namespace in 0.9x/2.0; some feeds put 2.0 under
    /// the Userland namespace, and RDF feeds under RSS 1.0's or 0.90's.
    static let rssCore: Set<String> = ["", rss10, rss090, "http://backend.userland.com/rss2", "http://backend.userland.com/rss"]
    static let atom: Set<String> = [atom10, atom03]
    static let contentModule: Set<String> = [content]
    static let dublinCore: Set<String> = [dc]
}

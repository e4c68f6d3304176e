import CLibXML2
import Foundation

/// Resolves relative references (RFC 3986 §5) with libxml2's `xmlBuildURI`,
/// which, unlike Foundation's `URL`, accepts the unescaped Chinese paths and
/// stray spaces real pages carry.
///
/// This is the sources' resolver: links to fetch or to store, of any scheme
/// and against any base (a `file:` list resolves its article links to files).
/// What reaches a reader is checked apart: the normalizer's `URLResolver`
/// keeps only safe http(s) links in bodies, and the writers keep only
/// http(s) item links (`FeedChannel.isWebURL`).
enum ReferenceResolver {
    /// `reference` resolved against `base`; the reference itself when either cannot be read.
    static func resolve(_ reference: String, against base: String?) -> String {
        let ref = reference.trimmed
        guard let base, !base.isEmpty, !ref.isEmpty else { return ref }
        if let built = build(ref, base) { return built }
        // xmlBuildURI refuses characters a URI may not hold; escape them and try again.
        guard let escapedRef = escape(ref), let escapedBase = escape(base), let built = build(escapedRef, escapedBase) else {
            return ref
        }
        return built
    }

    private static func build(_ ref: String, _ base: String) -> String? {
        guard let p = xmlBuildURI(ref, base) else { return nil }
        defer { feedd_xml_free(p) }
        return String(cString: p)
    }

    /// Percent-encodes what is not allowed in a URI, leaving its structure (`:/?#[]@!$&'()*+,;=%`) alone.
    private static func escape(_ s: String) -> String? {
        s.addingPercentEncoding(withAllowedCharacters: allowed)
    }

    private static let allowed = CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%")
}

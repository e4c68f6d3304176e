import CLibXML2
import Foundation

/// Resolves relative references (RFC 3986 §5) with libxml2's `xmlBuildURI`,
/// which, unlike Foundation's `URL`, accepts the unescaped Chinese paths and
/// stray spaces real pages carry.
enum URLResolver {
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

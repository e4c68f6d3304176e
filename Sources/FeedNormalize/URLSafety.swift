/// Turns an `href`/`src` value into an absolute http(s) (or mailto) URL, or
/// rejects it.
///
/// The scheme is read the way a browser's URL parser reads it (WHATWG URL):
/// leading and trailing C0 controls and spaces are stripped, tab/LF/CR are
/// removed anywhere, the scheme is case-insensitive, and entities were
/// already decoded by libxml2. So `jav&#x09;ascript:`, ` JAVASCRIPT:` and
/// `java\nscript:` are all `javascript:` and rejected. Anything with a colon
/// before the first `/`, `?` or `#` that is not an allowed scheme is
/// rejected too, including text that is not a valid scheme at all
/// (`\u{2028}javascript:`, `％6Aavascript:`): it is neither a safe absolute
/// URL nor a sane relative reference (RFC 3986 §4.2 forbids a colon in the
/// first segment of a relative path).
///
/// Relative references are resolved against the article URL (RFC 3986 §5.2,
/// with `\` read as `/` before the query as browsers do for http(s)).
/// `//host/x` takes the article URL's scheme, or https when there is no
/// article URL. Other relative references without an article URL are
/// dropped: a feed reader would resolve them against the feed, not the page.
/// The result never holds bytes ≤ 0x20 or DEL (they are percent-encoded),
/// so normalizing it again returns it unchanged.
struct URLResolver: Sendable {
    enum Purpose {
        /// `a href`: http, https, mailto.
        case link
        /// `img src`: http, https.
        case image
    }

    private struct Base: Sendable {
        var scheme: [UInt8]     // "http" or "https"
        var authority: [UInt8]  // "example.com:8080", without "//"
        var path: [UInt8]       // starts with "/"
        var query: [UInt8]      // "" or "?..."
    }

    private let base: Base?

    /// `articleURL` is used only if it is an absolute http(s) URL with a host.
    init(articleURL: String?) {
        base = articleURL.flatMap { url in
            var bytes = Array(url.utf8).withUnsafeBufferPointer { Self.cleaned($0) }
            guard let colon = Self.schemeEnd(bytes) else { return nil }
            Self.lowercase(&bytes, upTo: colon)
            let scheme = Array(bytes[..<colon])
            guard scheme == Self.http || scheme == Self.https else { return nil }
            var rest = Array(bytes[(colon + 1)...])
            Self.backslashesToSlashes(&rest, from: 0)
            guard rest.starts(with: [0x2F, 0x2F]) else { return nil }
            rest.removeFirst(2)
            let fragmentStart = rest.firstIndex(of: UInt8(ascii: "#")) ?? rest.count
            rest.removeSubrange(fragmentStart...)
            let authorityEnd = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? rest.count
            let authority = Array(rest[..<authorityEnd])
            guard !authority.isEmpty else { return nil }
            let queryStart = rest[authorityEnd...].firstIndex(of: UInt8(ascii: "?")) ?? rest.count
            var path = Array(rest[authorityEnd..<queryStart])
            if path.isEmpty { path = [UInt8(ascii: "/")] }
            return Base(scheme: scheme, authority: authority, path: path, query: Array(rest[queryStart...]))
        }
    }

    /// The safe absolute form of `raw`, or nil when it must not be kept.
    func resolve(_ raw: UnsafeBufferPointer<UInt8>, for purpose: Purpose) -> [UInt8]? {
        var reference = Self.cleaned(raw)
        guard !reference.isEmpty else { return nil }
        if let colon = Self.schemeEnd(reference) {
            Self.lowercase(&reference, upTo: colon)
            let scheme = reference[..<colon]
            if scheme.elementsEqual(Self.http) || scheme.elementsEqual(Self.https) {
                Self.backslashesToSlashes(&reference, from: colon)
                // Without "//" and a host ("https:x", "https:///x") it is no
                // use as a link, and browsers would read it against the page.
                guard reference.count > colon + 3, reference[colon + 1] == UInt8(ascii: "/"),
                      reference[colon + 2] == UInt8(ascii: "/"), !Self.endsAuthority(reference[colon + 3]) else { return nil }
                return Self.encoded(reference)
            }
            if scheme.elementsEqual(Self.mailto) && purpose == .link { return Self.encoded(reference) }
            return nil
        }
        // Not a scheme. A colon before the path, query or fragment starts means
        // a disguised or invalid scheme, not a relative reference.
        for byte in reference {
            if byte == UInt8(ascii: ":") { return nil }
            if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") { break }
        }
        Self.backslashesToSlashes(&reference, from: 0)
        return resolveRelative(reference).map(Self.encoded)
    }

    private func resolveRelative(_ ref: [UInt8]) -> [UInt8]? {
        let slash = UInt8(ascii: "/")
        if ref.count >= 2 && ref[0] == slash && ref[1] == slash {
            guard ref.count > 2, !Self.endsAuthority(ref[2]) else { return nil }
            var url = base?.scheme ?? Self.https
            url.reserveCapacity(url.count + 1 + ref.count)
            url.append(UInt8(ascii: ":"))
            let pathStart = url.count + Self.authorityEnd(ref)
            url += ref
            return Self.withoutDotSegments(url, pathStart: pathStart)
        }
        guard let base else { return nil }
        var url: [UInt8] = []
        url.reserveCapacity(base.scheme.count + 3 + base.authority.count + base.path.count + base.query.count + ref.count)
        url += base.scheme
        url += [UInt8(ascii: ":"), slash, slash]
        url += base.authority
        let pathStart = url.count
        switch ref[0] {
        case slash:
            url += ref
        case UInt8(ascii: "?"):
            url += base.path
            url += ref
        case UInt8(ascii: "#"):
            url += base.path
            url += base.query
            url += ref
        default:
            url += base.path[...(base.path.lastIndex(of: slash) ?? 0)]
            url += ref
        }
        return Self.withoutDotSegments(url, pathStart: pathStart)
    }

    // MARK: - Byte helpers

    private static let http = Array("http".utf8)
    private static let https = Array("https".utf8)
    private static let mailto = Array("mailto".utf8)

    /// Strips leading/trailing C0 controls and spaces, removes tab, LF, CR.
    private static func cleaned(_ raw: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var start = 0
        var end = raw.count
        while start < end && raw[start] <= 0x20 { start += 1 }
        while end > start && raw[end - 1] <= 0x20 { end -= 1 }
        var result: [UInt8] = []
        result.reserveCapacity(end - start)
        for byte in raw[start..<end] where byte != 0x09 && byte != 0x0A && byte != 0x0D {
            result.append(byte)
        }
        return result
    }

    /// Index of the `:` ending a syntactically valid scheme
    /// (ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )), if the text starts with one.
    private static func schemeEnd(_ bytes: [UInt8]) -> Int? {
        guard let first = bytes.first, isAlpha(first) else { return nil }
        for (i, byte) in bytes.enumerated().dropFirst() {
            if byte == UInt8(ascii: ":") { return i }
            if !(isAlpha(byte) || (0x30...0x39).contains(byte) || byte == 0x2B || byte == 0x2D || byte == 0x2E) {
                return nil
            }
        }
        return nil
    }

    private static func isAlpha(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }

    private static func lowercase(_ bytes: inout [UInt8], upTo end: Int) {
        for i in 0..<end where (0x41...0x5A).contains(bytes[i]) { bytes[i] |= 0x20 }
    }

    /// Browsers read `\` as `/` in http(s) URLs, up to the query.
    private static func backslashesToSlashes(_ bytes: inout [UInt8], from start: Int) {
        for i in start..<bytes.count {
            if bytes[i] == UInt8(ascii: "?") || bytes[i] == UInt8(ascii: "#") { return }
            if bytes[i] == UInt8(ascii: "\\") { bytes[i] = UInt8(ascii: "/") }
        }
    }

    private static func endsAuthority(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#")
    }

    /// Where the path starts in "//authority/path?query".
    private static func authorityEnd(_ ref: [UInt8]) -> Int {
        ref[2...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? ref.count
    }

    /// RFC 3986 §5.2.4 on the path that starts at `pathStart` (up to `?`/`#`).
    private static func withoutDotSegments(_ url: [UInt8], pathStart: Int) -> [UInt8] {
        let pathEnd = url[pathStart...].firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? url.count
        let path = url[pathStart..<pathEnd]
        guard path.first == UInt8(ascii: "/"), hasDotSegment(path) else { return url }
        var segments: [ArraySlice<UInt8>] = []
        var trailingSlash = false
        for segment in path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst() {
            if segment.elementsEqual([0x2E]) {
                trailingSlash = true
            } else if segment.elementsEqual([0x2E, 0x2E]) {
                if !segments.isEmpty { segments.removeLast() }
                trailingSlash = true
            } else {
                segments.append(segment)
                trailingSlash = false
            }
        }
        var result = Array(url[..<pathStart])
        for segment in segments { result.append(UInt8(ascii: "/")); result += segment }
        if segments.isEmpty || trailingSlash { result.append(UInt8(ascii: "/")) }
        result += url[pathEnd...]
        return result
    }

    private static func hasDotSegment(_ path: ArraySlice<UInt8>) -> Bool {
        var previous = UInt8(0)
        for byte in path {
            if byte == 0x2E && previous == 0x2F { return true }
            previous = byte
        }
        return false
    }

    /// Percent-encodes what must not appear raw in a URL or in XML: bytes
    /// ≤ 0x20, DEL, the UTF-8 of U+FFFE/U+FFFF, and any byte that is not part
    /// of valid UTF-8. Then NFC when needed. The result is valid UTF-8.
    private static func encoded(_ url: [UInt8]) -> [UInt8] {
        // The common case, printable ASCII only, needs nothing.
        if url.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) { return url }
        var result: [UInt8] = []
        result.reserveCapacity(url.count + 16)
        var isQuickNFC = true
        url.withUnsafeBufferPointer { bytes in
            let p = bytes.baseAddress!
            var i = 0
            while i < bytes.count {
                let byte = p[i]
                if byte > 0x20 && byte < 0x7F {
                    result.append(byte)
                    i += 1
                    continue
                }
                if byte >= 0x80 {
                    let (scalar, n) = XMLText.decode(p + i, available: bytes.count - i)
                    if n > 0 && !XMLText.isForbidden(scalar) {
                        if !XMLText.isNFCStable(scalar) { isQuickNFC = false }
                        result.append(contentsOf: bytes[i..<i + n])
                        i += n
                        continue
                    }
                }
                percentEncode(byte, into: &result)
                i += 1
            }
        }
        if !isQuickNFC { result = result.withUnsafeBufferPointer { XMLText.nfc($0) } }
        return result
    }

    private static func percentEncode(_ byte: UInt8, into result: inout [UInt8]) {
        let hex: StaticString = "0123456789ABCDEF"
        result.append(UInt8(ascii: "%"))
        result.append(hex.utf8Start[Int(byte >> 4)])
        result.append(hex.utf8Start[Int(byte & 0x0F)])
    }
}

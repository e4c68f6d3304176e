/// How images are shown, applied to the normalizer's output when a feed is
/// written rather than when a body is stored: the store keeps the neutral
/// normalized body, so changing `images:` takes effect at the next render
/// without fetching or re-normalizing anything (and `HTMLNormalizer.version`
/// stays). Many Chinese image hosts answer 403 when the `Referer` is a feed
/// reader's page; `referrerpolicy="no-referrer"` (as RSSHub writes) or an
/// image proxy the user runs gets the picture shown.
///
/// The pass reads only what the `Serializer` writes: an image is
/// `<img src="…" alt="…" …/>` with `&<>"` escaped in values and no literal
/// `<` anywhere but at a tag, so `<img ` can only begin an image and `"`
/// can only end a value. Anything else is copied unchanged.
public struct ImagePolicy: Sendable, Equatable {
    /// Adds `referrerpolicy="no-referrer"` to every image.
    public var noReferrer: Bool
    /// `https://img.example/?url={url}`: `{url}` becomes the image's
    /// address, percent-encoded as a query value.
    public var proxy: String?

    public init(noReferrer: Bool, proxy: String?) {
        self.noReferrer = noReferrer
        self.proxy = proxy
    }

    /// Whether `apply` changes nothing.
    public var isIdentity: Bool { !noReferrer && proxy == nil }

    /// `html` (normalizer output) with every image under this policy.
    public func apply(_ html: String) -> String {
        guard !isIdentity else { return html }
        let bytes = Array(html.utf8)
        let marker = Array("<img ".utf8)
        guard var next = bytes.firstRange(of: marker) else { return html }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 256)
        var copied = 0
        while true {
            out += bytes[copied..<next.lowerBound]
            if let (tag, end) = rewrite(bytes, from: next.lowerBound) {
                out += tag
                copied = end
            } else {
                out += marker
                copied = next.upperBound
            }
            guard let found = bytes[copied...].firstRange(of: marker) else { break }
            next = found
        }
        out += bytes[copied...]
        return String(decoding: out, as: UTF8.self)
    }

    /// The image tag starting at `start`, rewritten, and the index after its `/>`;
    /// nil when it is not the serializer's shape.
    private func rewrite(_ b: [UInt8], from start: Int) -> ([UInt8], Int)? {
        var i = start + 4 // after "<img"
        var tag = Array("<img".utf8)
        while i < b.count {
            if b[i] == UInt8(ascii: "/"), i + 1 < b.count, b[i + 1] == UInt8(ascii: ">") {
                if noReferrer { tag += Array(" referrerpolicy=\"no-referrer\"".utf8) }
                return (tag + [UInt8(ascii: "/"), UInt8(ascii: ">")], i + 2)
            }
            // ` name="value"`
            guard b[i] == UInt8(ascii: " ") else { return nil }
            guard let equals = b[(i + 1)...].firstIndex(of: UInt8(ascii: "=")), equals + 1 < b.count,
                  b[equals + 1] == UInt8(ascii: "\""),
                  let close = b[(equals + 2)...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            let name = b[(i + 1)..<equals]
            let value = b[(equals + 2)..<close]
            i = close + 1
            if name.elementsEqual("referrerpolicy".utf8) { continue } // written once, below
            if name.elementsEqual("src".utf8), let proxy, !Self.isProxied(value, by: proxy) {
                tag += Array(" src=\"".utf8) + Self.escaped(Self.proxied(Self.unescaped(value), through: proxy)) + [UInt8(ascii: "\"")]
            } else {
                tag += [UInt8(ascii: " ")] + name + Array("=\"".utf8) + value + [UInt8(ascii: "\"")]
            }
        }
        return nil
    }

    /// Whether `src` already goes through the proxy (a body feedd wrote, read back by
    /// `feedd import jekyll`): it is not wrapped twice.
    static func isProxied(_ src: ArraySlice<UInt8>, by template: String) -> Bool {
        let prefix = escaped(Array(template.utf8.prefix { $0 != 0x7B })) // up to "{"
        return !prefix.isEmpty && src.starts(with: prefix)
    }

    /// The template with `{url}` replaced by `url` percent-encoded (RFC 3986
    /// unreserved characters kept), so the original survives any query.
    static func proxied(_ url: [UInt8], through template: String) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        var encoded: [UInt8] = []
        for byte in url {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.append(byte)
            default:
                encoded += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        let parts = template.utf8.split(separator: 0x7B, omittingEmptySubsequences: false) // "{"
        var out = Array(parts[0])
        for part in parts.dropFirst() {
            if part.starts(with: "url}".utf8) {
                out += encoded + part.dropFirst(4)
            } else {
                out += [0x7B] + part
            }
        }
        return out
    }

    /// An attribute value as the serializer escaped it (`&amp; &lt; &gt; &quot;`), read back.
    static func unescaped(_ value: ArraySlice<UInt8>) -> [UInt8] {
        let entities: [(String.UTF8View, UInt8)] = [("&amp;".utf8, 0x26), ("&lt;".utf8, 0x3C), ("&gt;".utf8, 0x3E), ("&quot;".utf8, 0x22)]
        var out: [UInt8] = []
        out.reserveCapacity(value.count)
        var i = value.startIndex
        outer: while i < value.endIndex {
            if value[i] == 0x26 {
                for (entity, byte) in entities where value[i...].starts(with: entity) {
                    out.append(byte)
                    i += entity.count
                    continue outer
                }
            }
            out.append(value[i])
            i += 1
        }
        return out
    }

    /// `&<>"` escaped, as the serializer writes attribute values.
    static func escaped(_ value: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(value.count + 16)
        for byte in value {
            switch byte {
            case UInt8(ascii: "&"): out += Array("&amp;".utf8)
            case UInt8(ascii: "<"): out += Array("&lt;".utf8)
            case UInt8(ascii: ">"): out += Array("&gt;".utf8)
            case UInt8(ascii: "\""): out += Array("&quot;".utf8)
            default: out.append(byte)
            }
        }
        return out
    }
}

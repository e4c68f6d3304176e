import FeedChecks
import Foundation
import Testing
@testable import FeedNormalize

/// `images:` over normalizer output: every image gets the referrer policy
/// and its address through the proxy template; nothing else moves.
@Suite("image policy over normalized bodies")
struct ImagePolicyTests {
    static let proxy = ImagePolicy(noReferrer: true, proxy: "https://img.example/p?u={url}&w=800")

    static let bodies: [String] = [
        #"<p><img src="https://img.cdn.cn/a.jpg?x=1&y=2" alt="图 &quot;一&quot;" width="600" height="400"></p>"#,
        #"<img data-src="//img.cdn.cn/lazy.png" src="data:image/gif;base64,R0lGOD"><p>文字 &lt;img src=x&gt; 不是图片</p>"#,
        #"<p>前<img src="/rel/b.png" title="t">后</p><p><img srcset="https://img.cdn.cn/s.jpg 2x"></p>"#,
        #"<a href="https://a.example/"><img src="https://img.cdn.cn/in-link.gif" alt=""></a><pre>&lt;img src="no"&gt;</pre>"#,
    ]

    static func normalized(_ body: String) -> String {
        HTMLNormalizer.normalize(body, articleURL: "https://news.example.cn/a/1.html").html
    }

    /// The `src` of every `<img` in `html`, as written.
    static func images(_ html: String) -> [(src: String, tag: String)] {
        var out: [(String, String)] = []
        var rest = Substring(html)
        while let start = rest.range(of: "<img ") {
            let tag = rest[start.lowerBound...].prefix { $0 != ">" }
            let src = tag.range(of: "src=\"").map { tag[$0.upperBound...].prefix { $0 != "\"" } } ?? ""
            out.append((String(src), String(tag)))
            rest = rest[start.upperBound...]
        }
        return out
    }

    @Test("every image of normalizer output gets referrerpolicy and the proxied, percent-encoded address",
          arguments: bodies.indices)
    func everyImage(_ i: Int) {
        let before = Self.normalized(Self.bodies[i])
        let after = Self.proxy.apply(before)
        let original = Self.images(before)
        let rewritten = Self.images(after)
        #expect(!original.isEmpty && rewritten.count == original.count, "\(after)")
        for (old, new) in zip(original, rewritten) {
            #expect(new.tag.contains(#"referrerpolicy="no-referrer""#), "\(new.tag)")
            let raw = old.src.replacingOccurrences(of: "&amp;", with: "&")
            let encoded = raw.addingPercentEncoding(withAllowedCharacters: .init(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"))!
            #expect(new.src == "https://img.example/p?u=\(encoded)&amp;w=800", "\(new.tag)")
            // The other attributes are as the normalizer wrote them.
            #expect(new.tag.replacingOccurrences(of: #" src="\#(new.src)""#, with: "")
                        .replacingOccurrences(of: #" referrerpolicy="no-referrer""#, with: "")
                    == old.tag.replacingOccurrences(of: #" src="\#(old.src)""#, with: ""))
        }
        // Outside the image tags nothing changed.
        #expect(Self.strippingImages(after) == Self.strippingImages(before))
        // The result passes the same reader-side checks as normalizer output (plus the one new attribute).
        #expect(OutputChecker.problems(in: after).filter { !$0.contains("referrerpolicy") }.isEmpty)
    }

    static func strippingImages(_ html: String) -> String {
        var out = ""
        var rest = Substring(html)
        while let start = rest.range(of: "<img ") {
            out += rest[..<start.lowerBound]
            rest = rest[start.lowerBound...].drop { $0 != ">" }.dropFirst()
        }
        return out + rest
    }

    @Test("referrer policy alone keeps the address; an identity policy returns the body untouched")
    func variants() {
        let body = Self.normalized(Self.bodies[0])
        let policyOnly = ImagePolicy(noReferrer: true, proxy: nil).apply(body)
        #expect(policyOnly == body.replacingOccurrences(of: "/></p>", with: #" referrerpolicy="no-referrer"/></p>"#))
        #expect(ImagePolicy(noReferrer: false, proxy: nil).apply(body) == body)
        let proxyOnly = ImagePolicy(noReferrer: false, proxy: "https://img.example/?url={url}").apply(body)
        #expect(!proxyOnly.contains("referrerpolicy") && proxyOnly.contains("https://img.example/?url=https%3A%2F%2Fimg.cdn.cn%2Fa.jpg%3Fx%3D1%26y%3D2"))
    }

    @Test("text that only looks like an image is left alone")
    func textIsText() {
        let body = Self.normalized("<p>写 &lt;img src=&quot;x&quot;/&gt; 的教程</p>")
        #expect(Self.proxy.apply(body) == body)
    }

    @Test("an address already through the proxy (a post feedd wrote, imported back) is not wrapped twice")
    func notTwice() {
        let once = Self.proxy.apply(Self.normalized(Self.bodies[0]))
        let readBack = Self.normalized(once) // the normalizer drops referrerpolicy, keeps the proxied src
        #expect(Self.proxy.apply(readBack) == once)
    }
}

import FeedModel
import Foundation
import Testing

@Suite("category slugs")
struct SlugTests {
    @Test("Chinese names become toneless pinyin, letters and digits only", arguments: [
        ("新华财经", "xinhuacaijing"),
        ("东财滚动新闻", "dongcaigundongxinwen"),
        ("中国证券报", "zhongguozhengquanbao"),
        ("证券时报网", "zhengquanshibaowang"),
        ("财經", "caijing"),              // traditional characters read as simplified
        ("第一财经 2022", "diyicaijing2022"),
        ("Ａ股要闻", "aguyaowen"),          // full-width letters fold to ASCII
    ])
    func pinyin(name: String, slug: String) {
        let d = Slug.derive(from: name)
        #expect(d.slug.rawValue == slug)
        #expect(d.warning == nil)
    }

    @Test("other names become lowercase ASCII words joined by '-'", arguments: [
        ("Reuters Markets", "reuters-markets"),
        ("  Bloomberg/Asia  ", "bloomberg-asia"),
        ("Café Économie", "cafe-economie"),
    ])
    func ascii(name: String, slug: String) {
        #expect(Slug.derive(from: name).slug.rawValue == slug)
    }

    @Test("names that cannot give a safe slug get a stable hashed one and a warning", arguments: [
        "../../etc", "..", "/", "", "\u{0}", "!!!", "all", "All",
        String(repeating: "long name ", count: 10),
        String(repeating: "新", count: 40),
    ])
    func unsafe(name: String) {
        let d = Slug.derive(from: name)
        let s = d.slug.rawValue
        #expect(!s.isEmpty && s.count <= 64)
        #expect(s.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" })
        #expect(!s.contains("..") && !s.contains("/") && s != "all")
        if name == "../../etc" { #expect(s == "etc") } // the letters survive, the path does not
        else {
            #expect(d.warning != nil)
            #expect(Slug.derive(from: name).slug == d.slug) // stable
        }
    }

    @Test("user-given slugs are validated")
    func validating() {
        #expect(Slug(validating: "emnews") != nil)
        #expect(Slug(validating: "a-b-1") != nil)
        for bad in ["", "..", "a/b", "A", "all", "-x", "x-", "a b", String(repeating: "a", count: 65)] {
            #expect(Slug(validating: bad) == nil, "\(bad)")
        }
    }

    @Test("info codes are trimmed and must not be empty")
    func infoCode() {
        #expect(InfoCode(" NW202112292229992448\n")?.rawValue == "NW202112292229992448")
        #expect(InfoCode("   ") == nil)
        #expect(InfoCode(String(repeating: "x", count: 201)) == nil)
    }

    /// The same characters as Foundation's `whitespacesAndNewlines`, at either end only.
    @Test("info codes lose the whitespace Foundation would trim, and no more", arguments: [
        "\u{3000}NW1\u{00A0}", "\u{2028}a b\u{2029}", "\t\r\nx\u{0085}", "\u{200B}x\u{200B}", "\u{FEFF}x", "中\u{202F}",
        "\u{1680}\u{2000}\u{200A}y\u{205F}", "\u{0B}\u{0C}z", "é\u{0301}", "NW202112292229992448",
    ])
    func infoCodeTrimsLikeFoundation(_ raw: String) {
        let foundation = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(InfoCode(raw)?.rawValue == (foundation.isEmpty ? nil : foundation))
    }
}

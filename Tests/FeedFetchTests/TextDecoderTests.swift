@testable import FeedFetch
import Foundation
import Testing

@Suite("charset decoding to UTF-8")
struct TextDecoderTests {
    // "财经新闻" in GBK, GB18030 and Big5 (財經新聞).
    static let gbk: [UInt8] = [0xB2, 0xC6, 0xBE, 0xAD, 0xD0, 0xC2, 0xCE, 0xC5]
    static let big5: [UInt8] = [0xB0, 0x5D, 0xB8, 0x67, 0xB7, 0x73, 0xBB, 0x44]

    @Test("charset from Content-Type", arguments: ["text/html; charset=gbk", "text/html;charset=\"GB2312\"", "application/json; charset=GB18030"])
    func contentType(_ header: String) throws {
        #expect(try TextDecoder.decode(Self.gbk, contentType: header) == "财经新闻")
    }

    @Test("Big5")
    func big5() throws {
        #expect(try TextDecoder.decode(Self.big5, contentType: "text/html; charset=big5") == "財經新聞")
    }

    @Test("a UTF-8 BOM is honoured and dropped; UTF-16 BOMs too")
    func bom() throws {
        #expect(try TextDecoder.decode([0xEF, 0xBB, 0xBF] + Array("财经".utf8), contentType: nil) == "财经")
        #expect(try TextDecoder.decode([0xFF, 0xFE, 0x22, 0x8D, 0xCF, 0x7E], contentType: nil) == "财经")
    }

    @Test("<meta charset> and the XML declaration are read when the header says nothing")
    func declared() throws {
        let html = Array("<html><head><meta charset=\"gbk\"></head><body>".utf8) + Self.gbk
        #expect(try TextDecoder.decode(html, contentType: "text/html").hasSuffix("财经新闻"))
        let httpEquiv = Array("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">".utf8) + Self.gbk
        #expect(try TextDecoder.decode(httpEquiv, contentType: nil).hasSuffix("财经新闻"))
        let xml = Array("<?xml version=\"1.0\" encoding=\"GBK\"?><t>".utf8) + Self.gbk
        #expect(try TextDecoder.decode(xml, contentType: nil).hasSuffix("财经新闻"))
    }

    @Test("undecodable bytes are an error with the charset and offset, not mojibake")
    func undecodable() {
        #expect(throws: TextDecoder.Failure.self) { try TextDecoder.decode(Self.gbk, contentType: "text/html; charset=utf-8") }
        let gbk = #expect(throws: TextDecoder.Failure.self) {
            try TextDecoder.decode(Array("ok".utf8) + [0xFF, 0xFF], contentType: "text/plain; charset=gbk")
        }
        #expect(gbk?.charset == "GB18030" && gbk?.offset == 2)
        let utf8 = #expect(throws: TextDecoder.Failure.self) { try TextDecoder.decode(Array("abc".utf8) + [0xC3], contentType: nil) }
        #expect(utf8?.charset == "UTF-8" && utf8?.offset == 3)
    }

    /// Fuzz findings (Fuzz/regressions/charset): iconv's failure was never
    /// seen, so the text was cut off at the first bad byte and returned as if whole.
    @Test("bytes that stop decoding midway are an error at their offset, not a text cut off there", arguments: [
        ([0xA2, 0xE3, 0x20, 0x95], "text/html; charset=big5", "BIG5-HKSCS", 3),    // a lead byte with nothing after it
        ([0xA2, 0xE3, 0x20, 0x95, 0x32, 0x41], "text/html; charset=big5", "BIG5-HKSCS", 3), // a trail byte out of range
        ([0x61, 0x62, 0x80], "text/xml; charset=GB18030", "GB18030", 2),           // 0x80 is no GB18030 character
        ([0x61, 0x81, 0x30, 0x81], "text/xml; charset=gbk", "GB18030", 1),         // a four-byte sequence cut short
    ] as [([UInt8], String, String, Int)])
    func stopsMidway(bytes: [UInt8], contentType: String, charset: String, offset: Int) {
        let failure = #expect(throws: TextDecoder.Failure.self) { try TextDecoder.decode(bytes, contentType: contentType) }
        #expect(failure?.charset == charset && failure?.offset == offset)
    }

    @Test("Windows-1252 text that triples in UTF-8 decodes whole (€ is three bytes)")
    func growsThreefold() throws {
        #expect(try TextDecoder.decode([UInt8](repeating: 0x80, count: 100), contentType: "text/plain; charset=windows-1252")
            == String(repeating: "€", count: 100))
    }

    @Test("a response's text() names the URL when it cannot decode")
    func responseError() {
        let r = FetchResponse(url: "http://x/list", status: 200, headers: ["content-type": "application/json"], body: Self.gbk)
        #expect(throws: FetchError.undecodable(url: "http://x/list", charset: "UTF-8", offset: 0)) { try r.text() }
    }
}

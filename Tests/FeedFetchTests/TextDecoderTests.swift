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
        do { _ = try TextDecoder.decode(Array("ok".utf8) + [0xFF, 0xFF], contentType: "text/plain; charset=gbk") }
        catch { #expect(error.charset == "GB18030" && error.offset == 2) }
        do { _ = try TextDecoder.decode(Array("abc".utf8) + [0xC3], contentType: nil) }
        catch { #expect(error.charset == "UTF-8" && error.offset == 3) }
    }

    @Test("a response's text() names the URL when it cannot decode")
    func responseError() {
        let r = FetchResponse(url: "http://x/list", status: 200, headers: ["content-type": "application/json"], body: Self.gbk)
        #expect(throws: FetchError.undecodable(url: "http://x/list", charset: "UTF-8", offset: 0)) { try r.text() }
    }
}

import FeedModel
import Testing

@Suite("FNV-1a and its hex form")
struct FNV1aTests {
    @Test("the published test vectors")
    func vectors() {
        #expect(FNV1a.hash("") == 0xcbf2_9ce4_8422_2325)
        #expect(FNV1a.hash("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(FNV1a.hash("foobar") == 0x8594_4171_f739_67e8)
    }

    @Test("16 lowercase digits each, zero-padded, one space between; the same as String(_:radix:) padded")
    func hex() {
        #expect(FNV1a.hex16(0) == "0000000000000000")
        #expect(FNV1a.hex16(0xAB) == "00000000000000ab")
        #expect(FNV1a.hex16(UInt64.max) == "ffffffffffffffff")
        #expect(FNV1a.hex16(joined: []) == "")
        #expect(FNV1a.hex16(joined: [1, 0xdead_beef_0123_4567]) == "0000000000000001 deadbeef01234567")
        var generator = SystemRandomNumberGenerator()
        let values = (0..<200).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0...63, using: &generator) }
        let padded = values.map { v in String(repeating: "0", count: 16 - String(v, radix: 16).count) + String(v, radix: 16) }
        #expect(FNV1a.hex16(joined: values) == padded.joined(separator: " "))
    }
}

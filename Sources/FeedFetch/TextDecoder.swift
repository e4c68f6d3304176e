import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Turns upstream bytes into UTF-8 text. Chinese sites still serve GBK,
/// GB18030 and Big5; a wrong guess makes mojibake that would be stored forever,
/// so bytes that do not decode are an error rather than replaced.
public enum TextDecoder {
    public struct Failure: Error, Sendable {
        public var charset: String
        public var offset: Int
    }

    /// Charset from `contentType`, else a BOM, else `<meta charset>` or the XML
    /// declaration in the first 1024 bytes, else UTF-8.
    public static func decode(_ bytes: [UInt8], contentType: String?) throws(Failure) -> String {
        var body = bytes[...]
        var label = contentType.flatMap(charsetParameter)
        if label == nil {
            if let (bomLabel, length) = bom(body) {
                label = bomLabel
                body = body.dropFirst(length)
            } else {
                label = declaredInDocument(body)
            }
        } else if body.starts(with: [0xEF, 0xBB, 0xBF]) {
            body = body.dropFirst(3)
        }
        let charset = canonical(label ?? "utf-8")
        if charset == "UTF-8" { return try utf8(body) }
        return try iconvDecode(body, from: charset)
    }

    /// `text/html; charset="gbk"` → `gbk`.
    static func charsetParameter(_ contentType: String) -> String? {
        for part in contentType.split(separator: ";").dropFirst() {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else { continue }
            let v = kv[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            return v.isEmpty ? nil : v
        }
        return nil
    }

    static func bom(_ b: ArraySlice<UInt8>) -> (String, Int)? {
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { return ("utf-8", 3) }
        if b.starts(with: [0xFF, 0xFE]) { return ("utf-16le", 2) }
        if b.starts(with: [0xFE, 0xFF]) { return ("utf-16be", 2) }
        return nil
    }

    /// `<meta charset="gbk">`, `<meta http-equiv=… content="…; charset=gbk">`,
    /// `<?xml version="1.0" encoding="GB2312"?>`, looked for in the first 1024 bytes.
    static func declaredInDocument(_ b: ArraySlice<UInt8>) -> String? {
        let head = String(decoding: b.prefix(1024), as: UTF8.self).lowercased()
        for marker in ["charset=", "encoding="] {
            var search = head.startIndex
            while let r = head.range(of: marker, range: search..<head.endIndex) {
                search = r.upperBound
                var rest = head[r.upperBound...].drop(while: { $0 == "\"" || $0 == "'" || $0 == " " })
                rest = rest.prefix(while: { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
                if !rest.isEmpty { return String(rest) }
            }
        }
        return nil
    }

    /// The iconv name for a label, with the WHATWG aliases that matter here:
    /// GBK and GB2312 are decoded as GB18030, their superset.
    static func canonical(_ label: String) -> String {
        switch label.lowercased() {
        case "utf-8", "utf8", "unicode-1-1-utf-8": "UTF-8"
        case "gbk", "gb2312", "gb_2312-80", "x-gbk", "cp936", "gb18030", "chinese", "csgb2312", "iso-ir-58": "GB18030"
        case "big5", "big5-hkscs", "cn-big5", "x-x-big5", "csbig5": "BIG5-HKSCS"
        case "us-ascii", "ascii", "iso-8859-1", "latin1", "l1", "windows-1252", "cp1252": "WINDOWS-1252"
        case "utf-16le", "utf-16": "UTF-16LE"
        case "utf-16be": "UTF-16BE"
        default: label.uppercased()
        }
    }

    static func utf8(_ b: ArraySlice<UInt8>) throws(Failure) -> String {
        if let s = String(validating: b, as: UTF8.self) { return s }
        // Find the first bad byte for the message.
        var it = b.makeIterator()
        var decoder = UTF8()
        var offset = 0, consumed = 0
        loop: while true {
            switch decoder.decode(&it) {
            case .scalarValue(let s): consumed += UTF8.width(s); offset = consumed
            case .emptyInput: break loop
            case .error: break loop
            }
        }
        throw Failure(charset: "UTF-8", offset: offset)
    }

    static func iconvDecode(_ b: ArraySlice<UInt8>, from charset: String) throws(Failure) -> String {
        let cd = iconv_open("UTF-8", charset)
        if cd == iconv_t(bitPattern: -1) { throw Failure(charset: charset + " (unsupported)", offset: 0) }
        defer { iconv_close(cd) }
        var input = Array(b)
        // UTF-8 takes at most 4 bytes for what one input byte gives (Windows-1252's 0x80 is 3: "€"),
        // so the output never runs out of room and every stop is the input's fault.
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        var failedAt: Int?
        var written = 0
        input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var outLeft = outBuf.count
                // iconv returns (size_t)-1 on failure; Swift imports size_t as Int, so that is -1,
                // not size_t.max (which never matched: bytes that did not decode were cut off silently).
                if iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == -1 {
                    failedAt = inBuf.count - inLeft
                }
                written = outBuf.count - outLeft
            }
        }
        if let failedAt { throw Failure(charset: charset, offset: failedAt) }
        return String(decoding: output[..<written], as: UTF8.self)
    }
}

@testable import FeedFetch
@testable import FeedSources
import FuzzDriver

/// The charset decoders over arbitrary bytes: `TextDecoder` (bodies and JSON
/// lists: GBK, GB18030, Big5, Windows-1252, UTF-16, BOMs, `<meta charset>`
/// and XML declarations, wrong or unknown labels) and the feed reader's
/// `FeedCharset` (UTF-8 first, then the declared charset, then fallbacks).
///
/// What must hold: UTF-8 is returned byte for byte (less its BOM); a text
/// decoded in an ASCII-compatible charset is all of it (an "A" appended to the
/// bytes is an "A" appended to the text); a failure
/// names an offset inside the input at which decoding really stops (the bytes
/// before it decode, the bytes from it do not); `FeedCharset` always returns
/// valid UTF-8, the input itself when it already is.
///
/// The HTTP charset is chosen by the input's length.
@main enum CharsetFuzzer {
    static let contentTypes: [String?] = [
        nil, "text/html; charset=utf-8", "text/html; charset=gbk", "text/xml; charset=GB18030", "text/html; charset=big5",
        "text/plain; charset=windows-1252", "text/xml; charset=utf-16le", "text/html; charset=\"x-no-such-charset\"",
    ]

    static let asciiCompatible: Set<String> = ["UTF-8", "GB18030", "BIG5-HKSCS", "WINDOWS-1252"]

    static func main() {
        FuzzDriver.main { input in
            let contentType = contentTypes[input.count % contentTypes.count]
            let context = "content type: \(contentType ?? "none")\ninput: \(input)"
            let hasUTF8BOM = input.starts(with: [0xEF, 0xBB, 0xBF])
            do throws(TextDecoder.Failure) {
                let text = try TextDecoder.decode(input, contentType: contentType)
                let charset = TextDecoder.canonical(contentType.flatMap(TextDecoder.charsetParameter) ?? "")
                if charset == "UTF-8" {
                    FuzzCheck.expect(text.utf8.elementsEqual(input.dropFirst(hasUTF8BOM ? 3 : 0)), "UTF-8 not returned as it was\n\(context)")
                }
                // In a charset where ASCII stands for itself, an "A" after the bytes is an "A" after the text:
                // a decoder that stopped early (and called the rest success) loses it.
                if asciiCompatible.contains(charset) {
                    let extended = try? TextDecoder.decode(input + [0x41], contentType: contentType)
                    FuzzCheck.expect(extended.map { $0.utf8.elementsEqual(Array(text.utf8) + [0x41]) } ?? false,
                                     "decoded as \(text.debugDescription), with \"A\" after it as \(extended.debugDescription): the decoder stopped early\n\(context)")
                }
            } catch {
                FuzzCheck.expect(!error.charset.isEmpty && error.offset >= 0 && error.offset <= input.count,
                                 "failure \(error.charset) at \(error.offset) of \(input.count) bytes\n\(context)")
                // With the charset given by HTTP and no BOM, offsets count from the first byte.
                if let contentType, !hasUTF8BOM, !error.charset.hasSuffix("(unsupported)") {
                    let head = Array(input[..<error.offset]), rest = Array(input[error.offset...])
                    FuzzCheck.expect((try? TextDecoder.decode(head, contentType: contentType)) != nil,
                                     "the \(error.offset) bytes before the failure do not decode either\n\(context)")
                    FuzzCheck.expect((try? TextDecoder.decode(rest, contentType: contentType)) == nil,
                                     "the bytes from the failure at \(error.offset) decode on their own\n\(context)")
                }
            }
            let (utf8, note) = FeedCharset.decode(input, contentType: contentType)
            FuzzCheck.expect(String(validating: utf8, as: UTF8.self) != nil, "FeedCharset returned bytes that are not UTF-8\n\(context)")
            if !FeedCharset.hasUTF16BOM(input), String(validating: input, as: UTF8.self) != nil {
                FuzzCheck.expect(utf8 == input && note == nil, "valid UTF-8 was changed\n\(context)")
            }
        }
    }
}

import Foundation

/// One width for digits, letters and punctuation: NFKC where it matters.
///
/// Full-width ASCII (U+FF01–FF5E) and the ideographic space are mapped by
/// arithmetic, which is what NFKC does to them; a line with other
/// compatibility characters (circled digits, `㎡`, vertical forms, half-width
/// katakana) goes through Foundation's NFKC. Most lines need neither, and NFKC
/// through Foundation costs more than the rest of detection.
enum Width {
    static func fold(_ text: inout HTMLText) {
        var needsNFKC = false
        var brackets = false
        text.scalars.withUnsafeMutableBufferPointer { s in
            for i in s.indices {
                let v = s[i]
                if v < 0xA0 {
                    if v == 0x28 || v == 0x5B { brackets = true }
                    continue
                }
                if v >= 0xFF01 && v <= 0xFF5E {
                    s[i] = v - 0xFEE0
                    if v == 0xFF08 || v == 0xFF3B { brackets = true }
                } else if v == 0x3010 || v == 0x3014 {
                    brackets = true
                } else if v == 0x3000 {
                    s[i] = 0x20
                } else if v < 0x4E00 || v > 0x9FFF, isCompatibilityCandidate(v) {
                    needsNFKC = true
                }
            }
        }
        text.hasBrackets = brackets
        guard needsNFKC else { return }
        // The rare text with other compatibility characters: NFKC block by block
        // (the blocks' lengths may change).
        var scalars: [UInt32] = []
        var ends: [Int] = []
        var start = 0
        for end in text.ends {
            var s = String.UnicodeScalarView()
            for v in text.scalars[start..<end] { if let c = Unicode.Scalar(v) { s.append(c) } }
            scalars += String(s).precomposedStringWithCompatibilityMapping.unicodeScalars.map(\.value)
            ends.append(scalars.count)
            start = end
        }
        text.scalars = scalars
        text.ends = ends
        text.hasBrackets = true // NFKC may have made some
    }

    /// Blocks holding characters NFKC changes, besides full-width ASCII.
    private static func isCompatibilityCandidate(_ v: UInt32) -> Bool {
        switch v {
        case 0x00A0...0x00BF, 0x2000...0x24FF, 0x2E80...0x2FDF, 0x3200...0x33FF, 0xF900...0xFAFF,
             0xFE10...0xFE6F, 0xFF5F...0xFFEF, 0x1D400...0x1D7FF, 0x1F100...0x1F1FF:
            return true
        default:
            return false
        }
    }

    /// White space after folding (the ideographic space is already a space).
    @inline(__always)
    static func isSpace(_ v: UInt32) -> Bool {
        v == 0x20 || (v >= 0x09 && v <= 0x0D) || v == 0xA0 || (v >= 0x2000 && v <= 0x200B) || v == 0x3000 || v == 0xFEFF
    }
}

import Foundation

/// One width for digits, letters and punctuation: NFKC where it matters.
///
/// Full-width ASCII (U+FF01–FF5E) and the ideographic space are mapped by
/// arithmetic, which is what NFKC does to them; a line with other
/// compatibility characters (circled digits, `㎡`, vertical forms, half-width
/// katakana) goes through Foundation's NFKC. Most lines need neither, and NFKC
/// through Foundation costs more than the rest of detection.
enum Width {
    /// What folding found on the way: brackets (asides need one), characters for NFKC.
    struct Flags {
        var brackets = false
        var needsNFKC = false
    }

    /// One character in one width: full-width ASCII and the ideographic space by arithmetic.
    @inline(__always)
    static func fold(_ v: UInt32, _ flags: inout Flags) -> UInt32 {
        if v < 0xA0 {
            if v == 0x28 || v == 0x5B { flags.brackets = true }
            return v
        }
        if v >= 0x4E00 && v <= 0x9FFF { return v } // CJK ideographs: the bulk of the text
        if v >= 0xFF01 && v <= 0xFF5E {
            if v == 0xFF08 || v == 0xFF3B { flags.brackets = true }
            return v - 0xFEE0
        }
        if v == 0x3010 || v == 0x3014 {
            flags.brackets = true
        } else if v == 0x3000 {
            return 0x20
        } else if isCompatibilityCandidate(v) {
            flags.needsNFKC = true
        }
        return v
    }

    /// The rare text with other compatibility characters (folded by `fold(_:_:)`
    /// as it was read): NFKC block by block (the blocks' lengths may change).
    static func fold(_ text: inout HTMLText) {
        guard text.needsNFKC else { return }
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
        text.needsNFKC = false
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

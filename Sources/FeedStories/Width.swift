import Foundation

/// One width for digits, letters and punctuation: NFKC where it matters.
///
/// Full-width ASCII (U+FF01–FF5E) and the ideographic space are mapped by
/// arithmetic, which is what NFKC does to them; a line with other
/// compatibility characters (circled digits, `㎡`, vertical forms, half-width
/// katakana) goes through Foundation's NFKC. Most lines need neither, and NFKC
/// through Foundation costs more than the rest of detection.
enum Width {
    static func fold(_ line: inout [UInt32]) {
        var needsNFKC = false
        for i in line.indices {
            let v = line[i]
            if v < 0xA0 { continue }
            if v >= 0xFF01 && v <= 0xFF5E {
                line[i] = v - 0xFEE0
            } else if v == 0x3000 {
                line[i] = 0x20
            } else if isCompatibilityCandidate(v) {
                needsNFKC = true
            }
        }
        guard needsNFKC else { return }
        var s = String.UnicodeScalarView()
        for v in line { if let c = Unicode.Scalar(v) { s.append(c) } }
        line = String(s).precomposedStringWithCompatibilityMapping.unicodeScalars.map(\.value)
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

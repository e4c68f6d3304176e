/// The lines and asides an outlet adds to a dispatch it reprints: where it came
/// from, who edited it. Data, not code: the labels are a table.
enum EditorialLines {
    /// Labels that open a line (or a bracketed aside) naming a source or an editor.
    static let labels: [[UInt32]] = [
        "文章来源", "来源", "图片来源", "资料来源", "责任编辑", "编辑", "校对", "审核", "审校", "记者", "作者",
        "原标题", "实习编辑", "值班编辑", "监制", "编审",
    ].map { $0.unicodeScalars.map(\.value) }

    /// A line longer than this is an article paragraph even if it opens with a label.
    static let maxLineLength = 60

    /// A whole line that only names a source or editor: `（文章来源：新华社）`,
    /// `编辑：张三`, `责任编辑：李四 审核：王五`. `text` is already width-folded.
    static func isEditorial(_ text: ArraySlice<UInt32>) -> Bool {
        var s = text.drop(while: Width.isSpace)
        while let last = s.last, Width.isSpace(last) { s = s.dropLast() }
        guard !s.isEmpty, s.count <= maxLineLength else { return false }
        if let first = s.first, isOpening(first) {
            s = s.dropFirst()
            guard let last = s.last, isClosing(last) else { return false }
            s = s.dropLast()
        }
        return opensWithLabel(s)
    }

    /// Blanks out (with 0, which is not text) the bracketed asides in `range`
    /// that name a source or editor (`……上涨0.5%。（文章来源：新华社）`).
    static func blankAsides(_ text: inout [UInt32], _ range: Range<Int>) {
        var i = range.lowerBound
        while i < range.upperBound {
            if isOpening(text[i]), opensWithLabel(text[(i + 1)..<range.upperBound]),
               let close = text[(i + 1)..<range.upperBound].prefix(maxLineLength).firstIndex(where: isClosing) {
                for j in i...close { text[j] = 0 }
                i = close + 1
            } else {
                i += 1
            }
        }
    }

    /// Whether `s` opens with a label and its colon.
    private static func opensWithLabel(_ s: ArraySlice<UInt32>) -> Bool {
        let trimmed = s.drop(while: Width.isSpace)
        guard let first = trimmed.first, first >= 0x4E00 else { return false }
        for label in labels where trimmed.starts(with: label) {
            let rest = trimmed.dropFirst(label.count).drop(while: Width.isSpace)
            if let colon = rest.first, colon == 0x3A || colon == 0xFE30 { return true }
        }
        return false
    }

    // ( [ 【 〔
    @inline(__always) private static func isOpening(_ v: UInt32) -> Bool { v == 0x28 || v == 0x5B || v == 0x3010 || v == 0x3014 }
    @inline(__always) private static func isClosing(_ v: UInt32) -> Bool { v == 0x29 || v == 0x5D || v == 0x3011 || v == 0x3015 }
}

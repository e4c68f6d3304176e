#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes the normalized fragment: tags, attributes and text, as UTF-8, in
/// one forward pass, straight into one buffer.
///
/// Besides escaping, it owns the cleaning rules that need to know what came
/// before:
/// - **Whitespace.** Runs of ASCII whitespace become one space (not inside
///   `pre`). Whitespace next to a block boundary or a `<br/>` is dropped, and
///   so are no-break spaces (U+00A0) and ideographic spaces (U+3000) at the
///   start of a block or line: the full-width indent of Chinese paragraphs.
/// - **Between blocks** the output has a single `\n` after each block's end
///   tag (`</p>\n<p>`), whatever the input had there (`\r\n `), so a stored
///   body reads line by line; none at the very end.
/// - **Empty elements.** An element is written optimistically and rolled
///   back (the buffer truncated to where it began) when it closes empty:
///   blocks with no text, image or rule in them (only whitespace, NBSP or
///   `<br/>`), inline elements with nothing at all. `<br/>` at the start or
///   end of a block is dropped too.
/// - **Parser-stable nesting.** Before an element opens, whatever libxml2
///   would implicitly close is closed (see `NestingRules`), and text that
///   would start the output gets the `<p>` libxml2 would imply for it, so
///   the output parses back to the tree that produced it and normalizing it
///   again gives the same bytes.
/// - **The outlet line** (`<p class="em_media">`) is written, read back and
///   removed; a trailing paragraph that is only a source line is removed at
///   the end (see `Outlet`).
struct Serializer: ~Copyable {
    /// What the last thing written means for the next whitespace.
    enum Spacing: UInt8 {
        /// Start of the output or of a block: whitespace and indents dropped.
        case lineStart
        /// Right after `<br/>`: like `lineStart`, but a second break is kept.
        case afterBreak
        /// After visible text or an image: whitespace becomes pending.
        case afterText
        /// Whitespace seen after text: one space goes before the next text.
        case pendingSpace
        /// That space was written before an inline tag; nothing more to add.
        case spaceWritten
    }

    /// An element written to the output and not yet closed.
    struct OpenElement {
        var id: UInt8
        var serial: Int32
        /// Where the element starts in the output (before any space written
        /// in front of it): rolling it back truncates to here.
        var mark: Int
        /// Just after the start tag.
        var contentStart: Int
        var flushedSpace: Bool
        /// Spacing just before the element, after implicit closes.
        var spacingBefore: Spacing
        var substantiveAtOpen: Int
        var contentAtOpen: Int
        var isOutletLine: Bool
    }

    var out: ByteBuffer
    let table: ElementTable
    var spacing = Spacing.lineStart
    var preDepth = 0
    /// Counts text runs with visible characters, images and rules written;
    /// an element whose open and close see the same count holds none.
    var substantive = 0
    /// `substantive` plus line breaks and whitespace inside `pre`.
    var content = 0
    var open: [OpenElement] = []
    private var nextSerial: Int32 = 1
    /// The outlet named by the `em_media` line, if any.
    private(set) var outlet: String?
    /// Top-level paragraphs that read as source lines, with nothing visible
    /// between them, and the `substantive` count around each: still
    /// trailing while the count after the last one stays.
    private var sourceLines: [(mark: Int, substantiveBefore: Int, substantiveAfter: Int, outlet: String)] = []

    /// `NFCStableTable.shared`, pinned for the text loop.
    let nfcStable: UnsafePointer<UInt64>

    init(capacity: Int, table: ElementTable) {
        out = ByteBuffer(capacity: capacity)
        self.table = table
        nfcStable = NFCStableTable.shared.words
        open.reserveCapacity(32)
    }

    // MARK: - Elements

    /// Starts element `id`: closes what the parser would close, writes `<name`.
    /// Attributes follow, then `finishStartTag`.
    mutating func beginStartTag(_ id: UInt8) {
        closeImplicitly(before: id)
        let flags = table.flags[Int(id)]
        let spacingBefore = spacing
        var flushed = false
        let mark = out.count
        if !flags.contains(.block), spacing == .pendingSpace, endsWithText {
            // "foo <b>bar</b>": the space joins "foo", so it can never become
            // a whitespace-only text node that libxml2 might drop on re-parse.
            out.append(0x20)
            spacing = .spaceWritten
            flushed = true
        }
        out.reserve(24)
        out.appendUnchecked(UInt8(ascii: "<"))
        writeName(id)
        open.append(OpenElement(id: id, serial: 0, mark: mark, contentStart: 0, flushedSpace: flushed,
                                spacingBefore: spacingBefore, substantiveAtOpen: substantive, contentAtOpen: content, isOutletLine: false))
    }

    /// Closes what libxml2 closes when element `id` opens.
    mutating func closeImplicitly(before id: UInt8) {
        let mask = table.closes[Int(id)]
        if mask != 0 {
            while let top = open.last, mask & (1 << UInt64(top.id)) != 0 { closeInnermost() }
        }
    }

    /// The element `id` will open in: the innermost written element that
    /// `beginStartTag(id)` leaves open (0: the top level).
    func parent(opening id: UInt8) -> UInt8 {
        let mask = table.closes[Int(id)]
        for element in open.reversed() where mask & (1 << UInt64(element.id)) == 0 { return element.id }
        return 0
    }

    /// Ends the start tag begun by `beginStartTag`; returns the element's
    /// serial for `close`. `isOutletLine` marks the `em_media` paragraph.
    mutating func finishStartTag(isOutletLine: Bool = false) -> Int32 {
        out.append(UInt8(ascii: ">"))
        let serial = nextSerial
        nextSerial &+= 1
        let index = open.count - 1
        open[index].serial = serial
        open[index].contentStart = out.count
        open[index].isOutletLine = isOutletLine
        let flags = table.flags[Int(open[index].id)]
        if flags.contains(.block) { spacing = .lineStart }
        if flags.contains(.preformatted) { preDepth += 1 }
        return serial
    }

    /// Ends a void element begun by `beginStartTag`: `<br/>`, `<img .../>`.
    mutating func finishVoidTag() {
        let element = open.removeLast()
        out.append("/>")
        let flags = table.flags[Int(element.id)]
        substantive &+= 1
        content &+= 1
        if flags.contains(.block) {
            spacing = .lineStart
            if preDepth == 0 { out.append(0x0A) }
        } else {
            spacing = .afterText
        }
    }

    /// A line break. Breaks at the start of a block are dropped, and so are
    /// breaks at its end (in `closeInnermost`).
    mutating func lineBreak() {
        guard spacing != .lineStart else { return }
        out.append("<br/>")
        content &+= 1
        spacing = .afterBreak
    }

    /// The edge of an unwrapped block-like element: reads as whitespace.
    mutating func softBoundary() {
        if spacing == .afterText { spacing = .pendingSpace }
    }

    /// Closes the element with `serial` unless it was already closed early
    /// (implicitly, by a later sibling) or never written (serial 0).
    mutating func close(_ serial: Int32) {
        if serial != 0, let top = open.last, top.serial == serial { closeInnermost() }
    }

    private mutating func closeInnermost() {
        let element = open.removeLast()
        let flags = table.flags[Int(element.id)]
        if flags.contains(.preformatted) { preDepth -= 1 }
        let isBlock = flags.contains(.block)
        if isBlock {
            while out.count > element.contentStart && out.hasSuffix("<br/>") { out.truncate(to: out.count - 5) }
        }
        if element.isOutletLine {
            if outlet == nil {
                let text = out.withBytes(element.contentStart..<out.count) { TextContent.of($0, limit: 200).text }
                outlet = Outlet.name(fromOutletLine: text)
            }
            rollBack(element, isBlock: true)
            return
        }
        let isEmpty = flags.contains(.keepWhenEmpty) ? false
            : isBlock ? substantive == element.substantiveAtOpen : content == element.contentAtOpen
        if isEmpty {
            rollBack(element, isBlock: isBlock)
            return
        }
        let contentEnd = out.count
        out.reserve(24)
        out.appendUnchecked(UInt8(ascii: "<"))
        out.appendUnchecked(UInt8(ascii: "/"))
        writeName(element.id)
        out.appendUnchecked(UInt8(ascii: ">"))
        if isBlock {
            spacing = .lineStart
            if preDepth == 0 && flags.contains(.newlineAfter) { out.appendUnchecked(0x0A) }
        }
        if element.id == table.p && open.isEmpty { noteSourceLine(element, content: element.contentStart..<contentEnd) }
    }

    /// Removes an element from the output as if it had never been there;
    /// a block leaves a word boundary behind, like whitespace would.
    private mutating func rollBack(_ element: OpenElement, isBlock: Bool) {
        out.truncate(to: element.mark)
        substantive = element.substantiveAtOpen
        content = element.contentAtOpen
        if element.flushedSpace {
            spacing = .pendingSpace
        } else if isBlock {
            spacing = element.spacingBefore == .afterText ? .pendingSpace : element.spacingBefore
        }
        // An inline element keeps the spacing its (whitespace-only) content left.
    }

    /// Closes what is still open and applies the end-of-body rules.
    mutating func finish() {
        while !open.isEmpty { closeInnermost() }
        // All of them go: removing only the last would leave the one before
        // it trailing, and a second normalization would remove that too.
        if let last = sourceLines.last, let first = sourceLines.first, last.substantiveAfter == substantive {
            out.truncate(to: first.mark)
            if outlet == nil { outlet = last.outlet }
        }
        while true {
            if out.last == 0x0A {
                out.truncate(to: out.count - 1)
            } else if out.hasSuffix("<br/>") {
                out.truncate(to: out.count - 5)
            } else {
                break
            }
        }
    }

    /// Remembers a top-level paragraph that is only a source line
    /// ("（来源：新华社）"), to drop it if nothing visible follows.
    private mutating func noteSourceLine(_ element: OpenElement, content: Range<Int>) {
        guard content.count < 160 else { return }
        let text = out.withBytes(content) { bytes -> String? in
            Outlet.mayBeSourceLine(bytes) ? TextContent.of(bytes, limit: 80).text : nil
        }
        guard let text, let name = Outlet.name(fromSourceLine: text) else { return }
        if let previous = sourceLines.last, previous.substantiveAfter == element.substantiveAtOpen {
            sourceLines.append((element.mark, element.substantiveAtOpen, substantive, name))
        } else {
            sourceLines = [(element.mark, element.substantiveAtOpen, substantive, name)]
        }
    }

    private var endsWithText: Bool {
        guard let last = out.last else { return false }
        return last != UInt8(ascii: ">") && last != 0x0A
    }

    @inline(__always)
    private mutating func writeName(_ id: UInt8) {
        let start = table.nameStart[Int(id)]
        let length = table.nameLength[Int(id)]
        table.nameBytes.withUnsafeBufferPointer { names in
            out.append(UnsafeBufferPointer(rebasing: names[start..<start + length]))
        }
    }
}

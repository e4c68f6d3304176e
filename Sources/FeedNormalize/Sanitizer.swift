import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The single pass: takes libxml2's parse events in document order (see
/// `HTMLEvents`) and tells the serializer what to write. Policy comes from
/// `Allowlist`; names are compared as bytes through `NameTable`, never as
/// Swift strings.
struct Sanitizer: ~Copyable {
    /// One element entered on the way down, closed on the way up.
    private struct Frame {
        /// The serializer's serial for a written element; 0 when unwrapped.
        var serial: Int32
        /// Unwrapped, but its edges read as whitespace.
        var softBoundary: Bool
        /// A row the input lacked, opened for a cell; it closes with the element it stands in.
        var implied = false
    }

    /// Elements nested deeper than this are unwrapped (their text is kept).
    /// libxml2's tree builder stops the whole parse at 256; readers' parsers
    /// have limits of their own.
    static let maxDepth = 256

    private(set) var serializer: Serializer
    private let table: ElementTable
    private let attributeNames = AttributeName.table
    private let urls: URLResolver
    /// The open elements outside dropped content.
    private var frames: [Frame] = []
    /// Inside a dropped element (or a void one's impossible content): how
    /// many elements deep; 0 outside.
    private var dropDepth = 0
    /// Text delivered so far for the current text node: libxml2 hands it
    /// over in pieces (every 1000 bytes, every entity), and the rules
    /// (whitespace, NFC) read a text node whole, as a tree holds it.
    private var pendingText: ByteBuffer
    /// Values of the attributes an element's rule reads, by `AttributeName`.
    private var slots = AttributeSlots()

    init(urls: URLResolver, capacity: Int) {
        table = Allowlist.table
        self.urls = urls
        serializer = Serializer(capacity: capacity, table: table)
        pendingText = ByteBuffer(capacity: 1024)
        frames.reserveCapacity(32)
    }

    /// Consumes the sanitizer, handing back the finished output.
    consuming func finish() -> Serializer {
        serializer.finish()
        return serializer
    }

    // MARK: - Parse events

    /// An element opens: `html` and `body` are unwrapped, `head` is dropped
    /// with everything libxml2 put in it.
    mutating func startElement(_ name: UnsafePointer<UInt8>, attributes: UnsafePointer<UnsafePointer<UInt8>?>?) {
        flushText()
        if dropDepth > 0 {
            dropDepth &+= 1
            return
        }
        let id = table.lookup(Self.localName(name))
        var action = table.actions[Int(id)]
        if frames.count >= Self.maxDepth && action == .keep { action = .unwrap }
        if action == .keep, table.tableParents[Int(id)] != 0 { action = placeInTable(id) }
        switch action {
        case .drop:
            dropDepth = 1
        case .unwrap:
            let soft = table.flags[Int(id)].contains(.softBoundary) || table.tableParents[Int(id)] != 0
            if soft { serializer.softBoundary() }
            frames.append(Frame(serial: 0, softBoundary: soft))
        case .keep:
            let serial = keep(id, attributes: attributes)
            if table.flags[Int(id)].contains(.void) {
                // Written whole; libxml2 never gives a void element content.
                dropDepth = 1
            } else {
                frames.append(Frame(serial: serial, softBoundary: false))
            }
        }
    }

    /// A table part kept only where a reader's parser keeps it: a cell in
    /// a row, a row in a table or row group, a row group or caption in a
    /// table. A cell straight in a table or row group gets the row it lacks
    /// (`<table><td>` → `<table><tr><td>`); any other part out of place is
    /// unwrapped, its text kept, its edges read as whitespace.
    private mutating func placeInTable(_ id: UInt8) -> ElementRule.Action {
        let parents = table.tableParents[Int(id)]
        let parent = serializer.parent(opening: id)
        if parents & (1 << UInt64(parent)) != 0 { return .keep }
        guard parents == 1 << UInt64(table.tr), table.rowGroups & (1 << UInt64(parent)) != 0,
              frames.count + 1 < Self.maxDepth else { return .unwrap }
        // What the cell would close goes first (an `a` open in the table), so the row opens where the cell would.
        serializer.closeImplicitly(before: id)
        serializer.beginStartTag(table.tr)
        frames.append(Frame(serial: serializer.finishStartTag(), softBoundary: false, implied: true))
        return .keep
    }

    /// The innermost open element closes (and a row implied inside it).
    mutating func endElement() {
        flushText()
        if dropDepth > 0 {
            dropDepth &-= 1
            return
        }
        while let top = frames.last, top.implied {
            serializer.close(top.serial)
            frames.removeLast()
        }
        guard let frame = frames.popLast() else { return }
        serializer.close(frame.serial)
        if frame.softBoundary { serializer.softBoundary() }
    }

    /// A piece of text.
    mutating func characters(_ bytes: UnsafePointer<UInt8>, count: Int) {
        // Outside any element (after `</html>`) libxml2's tree keeps no text, and neither does this.
        guard dropDepth == 0, !frames.isEmpty else { return }
        pendingText.append(UnsafeBufferPointer(start: bytes, count: count))
    }

    /// A comment or processing instruction: dropped, but it ends a text node.
    mutating func boundary() {
        flushText()
    }

    /// The parse is over: what libxml2 left open, it has closed already.
    mutating func endOfDocument() {
        flushText()
    }

    private mutating func flushText() {
        guard pendingText.count > 0 else { return }
        pendingText.withBytes(0..<pendingText.count) { serializer.text($0) }
        pendingText.truncate(to: 0)
    }

    /// libxml2's tree builder reads `o:p` as `p` in a namespace (libxml2
    /// 2.9's `xmlSplitQName`: the part after the first colon, unless the
    /// colon comes first or last); so does the sanitizer.
    private static func localName(_ name: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        guard name[0] != 0, name[0] != UInt8(ascii: ":") else { return name }
        var i = 1
        while name[i] != 0 {
            if name[i] == UInt8(ascii: ":") { return name[i + 1] == 0 ? name : name + i + 1 }
            i &+= 1
        }
        return name
    }

    // MARK: - Kept elements

    /// Writes the start of a kept element; returns its serial, or 0 when it
    /// was written whole (void) or turned out to be unwrapped or dropped.
    private mutating func keep(_ id: UInt8, attributes: UnsafePointer<UnsafePointer<UInt8>?>?) -> Int32 {
        if id == table.br {
            serializer.lineBreak()
            return 0
        }
        readAttributes(attributes, mask: table.readMask[Int(id)])
        if id == table.a { return link() }
        if id == table.img {
            image()
            return 0
        }
        serializer.beginStartTag(id)
        if table.flags[Int(id)].contains(.void) {
            serializer.finishVoidTag()
            return 0
        }
        for name in table.attributes[Int(id)] {
            guard let value = slots[name.rawValue] else { continue }
            switch name {
            case .colspan, .rowspan:
                if let n = Self.number(value), (1...1000).contains(n) { serializer.attribute(name, number: n) }
            case .start:
                if let n = Self.number(value, allowNegative: true) { serializer.attribute(name, number: n) }
            default:
                serializer.attribute(name, text: value, keepEmpty: false)
            }
        }
        let isOutletLine = id == table.p && slots[AttributeName.class.rawValue].map(Self.hasOutletClass) == true
        return serializer.finishStartTag(isOutletLine: isOutletLine)
    }

    /// `a` with a safe `href` is kept (with `rel`); any other `a` is unwrapped.
    private mutating func link() -> Int32 {
        guard let href = slots[AttributeName.href.rawValue],
              let url = urls.resolve(Self.buffer(href), for: .link) else { return 0 }
        serializer.beginStartTag(table.a)
        serializer.attribute(.href, bytes: url)
        if let title = slots[AttributeName.title.rawValue] { serializer.attribute(.title, text: title, keepEmpty: false) }
        serializer.relAttribute()
        return serializer.finishStartTag()
    }

    /// Lazy-loading pages keep the real address in `data-src` and friends and
    /// a placeholder (often a `data:` GIF) in `src`, so those come first; the
    /// first `srcset` candidate is the last resort. No usable source, or a
    /// 1×1 tracking pixel: no image.
    private mutating func image() {
        var source: [UInt8]?
        for name in Self.imageSources where source == nil {
            if let value = slots[name.rawValue] { source = urls.resolve(Self.buffer(value), for: .image) }
        }
        if source == nil, let srcset = slots[AttributeName.srcset.rawValue] {
            source = Self.firstCandidate(srcset).flatMap { candidate in
                candidate.withUnsafeBufferPointer { urls.resolve($0, for: .image) }
            }
        }
        guard let source else { return }
        let width = slots[AttributeName.width.rawValue].flatMap { Self.number($0) }
        let height = slots[AttributeName.height.rawValue].flatMap { Self.number($0) }
        if let width, let height, width <= 1, height <= 1 { return }
        serializer.beginStartTag(table.img)
        serializer.attribute(.src, bytes: source)
        if let alt = slots[AttributeName.alt.rawValue] { serializer.attribute(.alt, text: alt, keepEmpty: true) }
        if let title = slots[AttributeName.title.rawValue] { serializer.attribute(.title, text: title, keepEmpty: false) }
        if let width { serializer.attribute(.width, number: width) }
        if let height { serializer.attribute(.height, number: height) }
        serializer.finishVoidTag()
    }

    /// Where an image's address may be, best first.
    private static let imageSources: [AttributeName] = [.dataSrc, .dataOriginal, .dataLazySrc, .src]

    // MARK: - Attribute values

    /// Fills `slots` with the values of the attributes in `mask` (first
    /// occurrence wins; libxml2 already drops duplicates). `attributes` is
    /// libxml2's list: name, value, name, value, …, nil.
    private mutating func readAttributes(_ attributes: UnsafePointer<UnsafePointer<UInt8>?>?, mask: UInt32) {
        // Elements that read no attribute never look at the slots.
        guard mask != 0 else { return }
        slots.clear()
        guard let attributes else { return }
        var k = 0
        while let name = attributes[k] {
            let id = attributeNames.lookup(name)
            if id != 0, mask & (1 << UInt32(id - 1)) != 0, slots[Int(id) - 1] == nil {
                // A valueless attribute (`<td nowrap>`): libxml2's tree gives
                // HTML's boolean attributes their own name as value, others "".
                slots[Int(id) - 1] = attributes[k + 1] ?? (htmlIsBooleanAttr(name) != 0 ? name : Self.empty)
            }
            k &+= 2
        }
    }

    private static var empty: UnsafePointer<UInt8> { ("" as StaticString).utf8Start }

    private static func buffer(_ value: UnsafePointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: value, count: strlen(value))
    }

    /// A small decimal integer, surrounding whitespace allowed: "600", " 2 ".
    /// Anything else ("600px", "100%", "1e3") is not a number here.
    static func number(_ value: UnsafePointer<UInt8>, allowNegative: Bool = false) -> Int? {
        var i = 0
        while value[i] == 0x20 || value[i] == 0x09 || value[i] == 0x0A || value[i] == 0x0D { i += 1 }
        var negative = false
        if allowNegative && value[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        var result = 0
        var digits = 0
        while (0x30...0x39).contains(value[i]) {
            digits += 1
            guard digits <= 6 else { return nil }
            result = result * 10 + Int(value[i] - 0x30)
            i += 1
        }
        while value[i] == 0x20 || value[i] == 0x09 || value[i] == 0x0A || value[i] == 0x0D { i += 1 }
        guard digits > 0, value[i] == 0 else { return nil }
        return negative ? -result : result
    }

    /// The URL of the first image candidate in a `srcset` ("a.jpg 1x, b.jpg 2x").
    static func firstCandidate(_ srcset: UnsafePointer<UInt8>) -> [UInt8]? {
        var i = 0
        while srcset[i] != 0 && (srcset[i] <= 0x20 || srcset[i] == UInt8(ascii: ",")) { i += 1 }
        var url: [UInt8] = []
        while srcset[i] > 0x20 { url.append(srcset[i]); i += 1 }
        while url.last == UInt8(ascii: ",") { url.removeLast() }
        return url.isEmpty ? nil : url
    }

    /// Whether a class list holds the token `em_media`.
    static func hasOutletClass(_ classes: UnsafePointer<UInt8>) -> Bool {
        let token = Array("em_media".utf8)
        var i = 0
        while classes[i] != 0 {
            while classes[i] != 0 && classes[i] <= 0x20 { i += 1 }
            var j = 0
            while j < token.count && classes[i + j] == token[j] { j += 1 }
            if j == token.count && classes[i + j] <= 0x20 { return true }
            while classes[i] > 0x20 { i += 1 }
        }
        return false
    }
}

/// Pointers to attribute values inside the libxml2 tree, one per
/// `AttributeName`; valid only while the element is being handled.
struct AttributeSlots: ~Copyable {
    // `allCases` builds an array on every use; count it once.
    private static let count = AttributeName.allCases.count
    private let values = UnsafeMutablePointer<UnsafePointer<UInt8>?>.allocate(capacity: AttributeSlots.count)

    init() { clear() }

    deinit { values.deallocate() }

    mutating func clear() {
        values.update(repeating: nil, count: Self.count)
    }

    subscript(index: Int) -> UnsafePointer<UInt8>? {
        get { values[index] }
        nonmutating set { values[index] = newValue }
    }
}

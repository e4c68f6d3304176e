import CLibXML2

/// One fragment parsed by libxml2's HTML parser. Owns the `xmlDoc` and frees
/// it; the tree is read only inside `Sanitizer.walk`.
struct HTMLDocument: ~Copyable {
    let pointer: xmlDocPtr

    /// Parse options: recover from any markup, never print errors or
    /// warnings, never touch the network, no default DTD node (the walk
    /// would skip it anyway; output is identical on the benchmark corpus).
    /// Not NOIMPLIED: without the implied html/body, libxml2 nests fragments
    /// wrongly (PLATFORM-NOTES).
    static let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
        | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NODEFDTD.rawValue)

    /// Parses UTF-8 `bytes` (the encoding is passed explicitly, so a stray
    /// `<meta charset>` in a body cannot switch it). Nil when libxml2 returns
    /// no document (empty input).
    init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        LibXML2.initialize()
        guard let base = bytes.baseAddress, bytes.count > 0, bytes.count < Int(Int32.max) else { return nil }
        let parsed = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
            htmlReadMemory($0, Int32(bytes.count), nil, "UTF-8", Self.options)
        }
        guard let parsed else { return nil }
        pointer = parsed
    }

    deinit { xmlFreeDoc(pointer) }
}

/// libxml2's process-wide set-up, done once, thread-safely (Swift runs a
/// `static let` initializer exactly once). xmlInitParser is not itself
/// safe to race.
enum LibXML2 {
    private static let ready: Bool = {
        xmlInitParser()
        return true
    }()

    static func initialize() { _ = ready }
}

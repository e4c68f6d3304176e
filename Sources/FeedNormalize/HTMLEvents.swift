import CLibXML2

/// Runs libxml2's HTML parser over a body and hands its events (start tag,
/// end tag, text, comment) straight to a `Sanitizer`, without building a
/// tree: the tree cost more than the whole rest of normalization (parse
/// with a tree ≈48 µs per benchmark body, without ≈31 µs).
///
/// The events are the ones libxml2's own tree builder receives, with the
/// implied `html`, `body` and `p` and every implicit close already in them,
/// so the sanitizer sees the document in the order a tree walk would. Where
/// the tree builder adds something of its own, `Sanitizer` does the same
/// (adjacent text joined into one node, `o:p` read as `p`, boolean
/// attributes valued with their name, text outside any element dropped).
///
/// Parse options: recover from any markup, never print errors or warnings,
/// never touch the network, no default DTD. Not NOIMPLIED: without the
/// implied html/body, libxml2 nests fragments wrongly (PLATFORM-NOTES).
enum HTMLEvents {
    static let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
        | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NODEFDTD.rawValue)

    /// Parses UTF-8 `bytes` (the encoding is passed explicitly, so a stray
    /// `<meta charset>` in a body cannot switch it) into `sanitizer`. False
    /// when there was nothing to parse (empty input, over 2 GiB).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, into sanitizer: inout Sanitizer) -> Bool {
        LibXML2.initialize()
        guard let base = bytes.baseAddress, bytes.count > 0, bytes.count < Int(Int32.max) else { return false }
        // Only these callbacks: libxml2's defaults for the others take the
        // parser context as their argument, and ours is the sanitizer.
        // (Errors and warnings go nowhere: the options switch them off.)
        var handler = htmlSAXHandler()
        handler.initialized = 1
        handler.startElement = { context, name, attributes in
            guard let context, let name else { return }
            context.assumingMemoryBound(to: Sanitizer.self).pointee.startElement(name, attributes: attributes)
        }
        handler.endElement = { context, _ in
            context?.assumingMemoryBound(to: Sanitizer.self).pointee.endElement()
        }
        let characters: charactersSAXFunc = { context, bytes, count in
            guard let context, let bytes, count > 0 else { return }
            context.assumingMemoryBound(to: Sanitizer.self).pointee.characters(bytes, count: Int(count))
        }
        handler.characters = characters
        handler.cdataBlock = characters // the text of <script> and <style>
        handler.comment = { context, _ in
            context?.assumingMemoryBound(to: Sanitizer.self).pointee.boundary()
        }
        handler.processingInstruction = { context, _, _ in
            context?.assumingMemoryBound(to: Sanitizer.self).pointee.boundary()
        }
        let status = withUnsafeMutablePointer(to: &sanitizer) { context in
            base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                feedd_html_sax_parse($0, Int32(bytes.count), &handler, context, options)
            }
        }
        sanitizer.endOfDocument()
        return status == 0
    }
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

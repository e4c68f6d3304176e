import CLibXML2
import Foundation

/// Reads a whole XML document with libxml2's SAX2 push parser straight into
/// `XMLElementNode`s: libxml2 tokenizes and checks well-formedness, this
/// keeps only what feed mapping reads. (libxml2's own tree, or its
/// xmlTextReader, cost twice as much for the same feed.)
///
/// The options never include `XML_PARSE_NOENT`, `XML_PARSE_DTDLOAD` or
/// `XML_PARSE_HUGE`, and no entity callback is installed: nothing is
/// expanded beyond the five XML entities and character references, no DTD
/// or external entity is fetched or even recorded, and libxml2's own size
/// limits stay on.
struct XMLTreeBuilder: ~Copyable {
    /// Deeper than any real feed (XHTML content included) and well under
    /// libxml2's own 256: a deeply nested document stops here, early.
    static let maxDepth = 128

    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    /// Bytes handed to the push parser at a time.
    static let pushChunk = 1 << 20

    static let options: Int32 = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
        | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_IGNORE_ENC.rawValue)

    /// The first error libxml2 reported, with its line.
    struct Problem: Sendable {
        var line: Int
        var message: String
        /// libxml2's `xmlParserErrors` code.
        var code: Int32 = 0

        /// Bytes that are not UTF-8, or a character XML does not allow
        /// (libxml2 reports both as `XML_ERR_INVALID_CHAR`).
        var isInvalidCharacter: Bool { code == Int32(XML_ERR_INVALID_CHAR.rawValue) }
    }

    /// What one parse produced.
    struct Result {
        var root: XMLElementNode?
        /// The first error (level error or fatal), recovered from or not.
        var problem: Problem?
        /// The document nested deeper than `maxDepth`; the parse stopped there.
        var tooDeep: Bool
    }

    /// Parses `bytes` (UTF-8, whatever the XML declaration says); `url` is
    /// the document's base URI. Strict mode stops at the first
    /// well-formedness error; `recover` goes on as libxml2's recovery mode
    /// can.
    static func parse(_ bytes: [UInt8], url: String, recover: Bool) -> Result {
        xmlInitParser()
        var builder = XMLTreeBuilder(url: url, strict: !recover)
        var handler = Self.handler()
        let options = Self.options | (recover ? Int32(XML_PARSE_RECOVER.rawValue) : 0)
        let started = withUnsafeMutablePointer(to: &builder) { user in
            bytes.withUnsafeBufferPointer { run($0, url: url, handler: &handler, options: options, into: user) }
        }
        if !started, builder.problem == nil {
            builder.problem = Problem(line: 0, message: "Document is empty", code: Int32(XML_ERR_DOCUMENT_EMPTY.rawValue))
        }
        return Result(root: builder.root, problem: builder.problem, tooDeep: builder.tooDeep)
    }

    /// The callbacks. The builder is reached through a raw pointer from them:
    /// a struct, so no access to it pays for dynamic exclusivity checks (a
    /// class's stored properties would, on every call).
    private static func handler() -> xmlSAXHandler {
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = { context, localName, prefix, uri, _, _, attributeCount, _, attributes in
            guard let context, let localName else { return }
            context.assumingMemoryBound(to: XMLTreeBuilder.self).pointee
                .startElement(localName, prefix: prefix, uri: uri, attributes: attributes, count: Int(attributeCount))
        }
        handler.endElementNs = { context, _, _, _ in
            context?.assumingMemoryBound(to: XMLTreeBuilder.self).pointee.endElement()
        }
        let characters: charactersSAXFunc = { context, bytes, count in
            guard let context, let bytes, count > 0 else { return }
            context.assumingMemoryBound(to: XMLTreeBuilder.self).pointee.characters(bytes, count: Int(count))
        }
        handler.characters = characters
        handler.ignorableWhitespace = characters
        handler.cdataBlock = characters
        handler.serror = { context, error in
            guard let context, let error else { return }
            context.assumingMemoryBound(to: XMLTreeBuilder.self).pointee.record(error.pointee)
        }
        return handler
    }

    /// Runs libxml2 over `b` (it copies the bytes into its own buffer); false
    /// when it could not start a parser. Strict reads push, recovery pulls:
    /// recovery keeps more of a broken document pulling than pushing.
    private static func run(_ b: UnsafeBufferPointer<UInt8>, url: String, handler: inout xmlSAXHandler, options: Int32,
                            into user: UnsafeMutablePointer<XMLTreeBuilder>) -> Bool {
        guard let base = b.baseAddress, b.count > 0, b.count < Int(Int32.max) else { return false }
        let chars = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
        let context: xmlParserCtxtPtr
        if user.pointee.strict {
            guard let push = feedd_xml_push_context(url, &handler, user, options) else { return false }
            context = push
            user.pointee.context = context
            // In pieces: libxml2 refuses to look more than 10 MB ahead in one
            // chunk ("Huge input lookup"), and max_body may allow more.
            var offset = 0
            repeat {
                let count = min(Self.pushChunk, b.count - offset)
                let last = offset + count == b.count
                xmlParseChunk(context, chars + offset, Int32(count), last ? 1 : 0)
                offset += count
            } while offset < b.count && context.pointee.disableSAX == 0
        } else {
            guard let pull = feedd_xml_pull_context(chars, Int32(b.count), url, &handler, user, options) else { return false }
            context = pull
            user.pointee.context = context
            xmlParseDocument(context)
        }
        // A parse that stopped at an error leaves elements open, and the
        // text read into them is theirs (as in libxml2's own tree).
        user.pointee.flushText()
        user.pointee.context = nil
        if let doc = context.pointee.myDoc { xmlFreeDoc(doc) }
        xmlFreeParserCtxt(context)
        return true
    }

    private let url: String
    /// Not in recovery mode: every error ends the parse and fails it.
    private let strict: Bool
    private var context: xmlParserCtxtPtr?
    private var stack: [XMLElementNode] = []
    private var root: XMLElementNode?
    /// The current text run, in the pieces libxml2 hands over (one byte
    /// for each `&lt;` of escaped HTML).
    private var text = TextRun()
    private var problem: Problem?
    private var tooDeep = false
    /// Names and namespace URIs repeat on every element: each distinct one
    /// becomes a Swift string once, keyed by its address in the parser's
    /// dictionary (interned, unchanging and alive as long as the parser).
    /// A string the dictionary does not own is converted every time.
    private var names: [UnsafeRawPointer: String] = [:]

    private init(url: String, strict: Bool) {
        self.url = url
        self.strict = strict
        stack.reserveCapacity(16)
    }

    private mutating func startElement(_ localName: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?,
                                       uri: UnsafePointer<xmlChar>?,
                              attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, count: Int) {
        flushText()
        closeSilentlyClosed()
        guard stack.count < Self.maxDepth else {
            tooDeep = true
            if let context { xmlStopParser(context) }
            return
        }
        var list: [XMLAttribute] = []
        if let attributes, count > 0 {
            list.reserveCapacity(count)
            // Five pointers per attribute: local name, prefix, URI, value start, value end.
            for k in 0..<count {
                guard let name = attributes[5 * k] else { continue }
                let uri = attributes[5 * k + 2]
                let namespace = uri.map { string($0) } ?? ""
                list.append(XMLAttribute(name: qualifiedName(name, prefix: attributes[5 * k + 1], uri: uri), namespace: namespace,
                                         value: Self.value(from: attributes[5 * k + 3], to: attributes[5 * k + 4])))
            }
        }
        let parentBase = stack.last?.base ?? url
        let base = list.first { $0.name == "base" && $0.namespace == Self.xmlNamespace }
            .map { ReferenceResolver.resolve($0.value, against: parentBase) } ?? parentBase
        let namespace = uri.map { string($0) } ?? ""
        let element = XMLElementNode(name: qualifiedName(localName, prefix: prefix, uri: uri), namespace: namespace,
                                     attributes: list, base: base)
        if let parent = stack.last { parent.append(.element(element)) } else if root == nil { root = element }
        stack.append(element)
    }

    private mutating func endElement() {
        flushText()
        closeSilentlyClosed()
        _ = stack.popLast()
    }

    private mutating func characters(_ bytes: UnsafePointer<UInt8>, count: Int) {
        if !strict, let context, stack.count > Int(context.pointee.nameNr) {
            flushText()
            closeSilentlyClosed()
        }
        text.append(bytes, count: count)
    }

    /// Recovering from a start tag it cannot finish ("Couldn't find end of
    /// Start Tag"), libxml2's pull parser closes the element on its own
    /// stack without an end event (its tree builder's node stack is popped
    /// directly). Its name stack tells: at a start or text event it holds
    /// the open ancestors, at an end event the element too. A strict parse
    /// stops at that error, so only recovery looks (the push parser's
    /// stack differs for `<empty/>`).
    private mutating func closeSilentlyClosed() {
        guard !strict, let context else { return }
        let open = Int(context.pointee.nameNr)
        while stack.count > open { _ = stack.popLast() }
    }

    private mutating func flushText() {
        guard text.count > 0 else { return }
        // Text outside the root element is not part of the feed.
        if let parent = stack.last {
            let string: String
            if strict {
                // libxml2 hands over only characters it decoded and checked
                // (a byte that is not UTF-8 is a fatal error that ends the
                // strict parse, and its result is thrown away): the standard
                // library's second validation, ≈0.6 ns a byte of CJK text, is
                // skipped. A recovered parse takes the checked path.
                string = String(copying: UTF8Span(unchecked: text.bytes.span))
            } else {
                string = String(decoding: text.bytes, as: UTF8.self)
            }
            parent.append(.text(string))
        }
        text.count = 0
    }

    private mutating func record(_ error: xmlError) {
        // Warnings (level 1) do not stop the parse; keep the first real error.
        guard problem == nil, error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let message = error.message.map { String(cString: $0) } ?? "error \(error.code)"
        problem = Problem(line: Int(error.line), message: message.trimmed, code: error.code)
    }

    /// The local name, or `prefix:name` when the prefix is bound to no
    /// namespace (an error only a recovering parse gets past), as libxml2's
    /// tree names such an element or attribute.
    private mutating func qualifiedName(_ name: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?,
                                        uri: UnsafePointer<xmlChar>?) -> String {
        guard let prefix, uri == nil, let context else { return string(name) }
        guard let qualified = xmlDictQLookup(context.pointee.dict, prefix, name) else {
            return string(prefix) + ":" + string(name)
        }
        return string(qualified)
    }

    private mutating func string(_ p: UnsafePointer<xmlChar>) -> String {
        let key = UnsafeRawPointer(p)
        if let known = names[key] { return known }
        let s = String(cString: p)
        if let context, xmlDictOwns(context.pointee.dict, p) == 1 { names[key] = s }
        return s
    }

    /// An attribute value as SAX2 reports it. Without entity substitution
    /// libxml2 writes each `&` of the value (from `&amp;` or `&#38;`) as the
    /// text `&#38;`, for a tree builder to turn back: so does this. Every
    /// other reference arrives decoded.
    static func value(from start: UnsafePointer<xmlChar>?, to end: UnsafePointer<xmlChar>?) -> String {
        guard let start, let end, end > start else { return "" }
        let bytes = UnsafeBufferPointer(start: start, count: end - start)
        guard bytes.contains(0x26) else { return String(decoding: bytes, as: UTF8.self) } // '&'
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x26, i + 5 <= bytes.count, bytes[i + 1] == 0x23, bytes[i + 2] == 0x33, bytes[i + 3] == 0x38,
               bytes[i + 4] == 0x3B { // "&#38;"
                out.append(0x26)
                i += 5
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// One attribute as the parser reports it.
struct XMLAttribute: Sendable {
    var name: String
    var namespace: String
    var value: String
}

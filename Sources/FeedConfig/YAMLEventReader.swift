import CYaml // libyaml as Yams vendors it: the one copy of the yaml_* symbols in the binary

/// Why YAML text could not be read as one document, and on which line.
public struct YAMLSyntaxError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The scanner or parser refused the text (`problem` is libyaml's), or it holds a second document or an undefined alias.
        case syntax
        /// A mapping names one key twice or more (`keys`, sorted); `line` is the first one's.
        case duplicateKeys([String])
        /// Characters YAML does not allow (controls, for one).
        case characters
    }

    public var kind: Kind
    /// Counted from 1; nil when libyaml gave no position (it ran out of memory).
    public var line: Int?
    public var problem: String

    /// What is wrong, as a sentence's end: libyaml's problem, or `duplicate key 'a', 'b'`.
    public var message: String {
        guard case .duplicateKeys(let keys) = kind else { return problem }
        return "duplicate key \(keys.map { "'\($0)'" }.joined(separator: ", "))"
    }
}

extension YAMLDocument {
    /// Reads the first and only document of `text` through libyaml's event
    /// API; nil for a stream without a document (empty, or only comments).
    ///
    /// What Yams' `compose` accepted it accepts: the first key of a mapping
    /// named twice is where the duplicate is reported, an alias reads as the
    /// node its anchor names (the anchor counts once its node is complete,
    /// so a node cannot hold itself), a second document is refused. Scalars'
    /// tags are neither resolved nor kept.
    public static func parse(_ text: String) throws(YAMLSyntaxError) -> YAMLDocument? {
        var text = text
        guard text.utf8.count < Int(UInt32.max) else {
            throw YAMLSyntaxError(kind: .characters, line: nil, problem: "the text is over 4 GB")
        }
        let result: Result<YAMLDocument?, YAMLSyntaxError> = text.withUTF8 { utf8 in
            let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
            defer { parser.deallocate() }
            guard yaml_parser_initialize(parser) == 1 else {
                return .failure(YAMLSyntaxError(kind: .syntax, line: nil, problem: "out of memory"))
            }
            defer { yaml_parser_delete(parser) }
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(parser, utf8.baseAddress, utf8.count)
            var builder = YAMLTreeBuilder()
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(parser, &event) == 1 else {
                    return .failure(YAMLSyntaxError(parser: parser.pointee, input: utf8))
                }
                defer { yaml_event_delete(&event) }
                do throws(YAMLSyntaxError) {
                    if try builder.take(event) { return .success(builder.document()) }
                } catch {
                    return .failure(error)
                }
            }
        }
        return try result.get()
    }
}

/// Builds the flat arrays of a `YAMLDocument` as libyaml's events arrive:
/// the open mappings and lists wait on a stack with the children read so far.
struct YAMLTreeBuilder {
    private var entries: [YAMLDocument.Entry] = []
    private var children: [UInt32] = []
    private var bytes: [UInt8] = []
    private var open: [(index: UInt32, anchor: String?, children: [UInt32])] = []
    private var anchors: [String: UInt32] = [:]
    private var root: UInt32?

    /// Takes one event; true at the end of the stream.
    mutating func take(_ event: yaml_event_t) throws(YAMLSyntaxError) -> Bool {
        let line = UInt32(clamping: event.start_mark.line + 1)
        switch event.type {
        case YAML_STREAM_END_EVENT:
            return true
        case YAML_DOCUMENT_START_EVENT where root != nil:
            throw YAMLSyntaxError(kind: .syntax, line: Int(line), problem: "but found another document")
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let index = append(.init(kind: .scalar, line: line, start: UInt32(bytes.count), count: UInt32(s.length)))
            if let value = s.value, s.length > 0 { bytes.append(contentsOf: UnsafeBufferPointer(start: value, count: s.length)) }
            register(Self.text(s.anchor), index)
            attach(index)
        case YAML_SEQUENCE_START_EVENT:
            open.append((append(.init(kind: .sequence, line: line, start: 0, count: 0)), Self.text(event.data.sequence_start.anchor), []))
        case YAML_MAPPING_START_EVENT:
            open.append((append(.init(kind: .mapping, line: line, start: 0, count: 0)), Self.text(event.data.mapping_start.anchor), []))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let node = open.popLast() else { return false }
            if event.type == YAML_MAPPING_END_EVENT { try checkKeys(node.children) }
            entries[Int(node.index)].start = UInt32(children.count)
            entries[Int(node.index)].count = UInt32(node.children.count)
            children += node.children
            register(node.anchor, node.index)
            attach(node.index)
        case YAML_ALIAS_EVENT:
            guard let name = Self.text(event.data.alias.anchor), let index = anchors[name] else {
                throw YAMLSyntaxError(kind: .syntax, line: Int(line), problem: "found undefined alias")
            }
            attach(index)
        default:
            break // stream and document starts and ends carry nothing a config reads
        }
        return false
    }

    /// The document read; nil when the stream held none.
    func document() -> YAMLDocument? {
        root.map { YAMLDocument(entries: entries, children: children, bytes: bytes, rootIndex: $0) }
    }

    private mutating func append(_ entry: YAMLDocument.Entry) -> UInt32 {
        entries.append(entry)
        return UInt32(entries.count - 1)
    }

    private mutating func attach(_ index: UInt32) {
        if open.isEmpty { root = index } else { open[open.count - 1].children.append(index) }
    }

    private mutating func register(_ anchor: String?, _ index: UInt32) {
        if let anchor { anchors[anchor] = index } // a later anchor of the same name shadows the earlier
    }

    /// Refuses a mapping that names a key twice (scalar keys, by their text).
    private func checkKeys(_ pairs: [UInt32]) throws(YAMLSyntaxError) {
        guard pairs.count > 2 else { return }
        var first: [ArraySlice<UInt8>: UInt32] = [:]
        var duplicated: Set<ArraySlice<UInt8>> = []
        for key in stride(from: 0, to: pairs.count, by: 2).map({ entries[Int(pairs[$0])] }) where key.kind == .scalar {
            let text = bytes[Int(key.start)..<Int(key.start + key.count)]
            if first[text] == nil { first[text] = key.line } else { duplicated.insert(text) }
        }
        guard !duplicated.isEmpty else { return }
        let keys = duplicated.map { String(decoding: $0, as: UTF8.self) }.sorted()
        let line = first[Array(keys[0].utf8)[...]].map(Int.init)
        throw YAMLSyntaxError(kind: .duplicateKeys(keys), line: line, problem: "duplicate keys")
    }

    private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}

extension YAMLSyntaxError {
    /// libyaml's error: a scanner or parser problem has a mark; a reader
    /// problem (a character YAML refuses) only a byte offset, made a line
    /// here by counting the line breaks before it.
    init(parser: yaml_parser_t, input: UnsafeBufferPointer<UInt8>) {
        let problem = parser.problem.map { String(cString: $0) } ?? "unreadable YAML"
        switch parser.error {
        case YAML_READER_ERROR:
            let before = String(decoding: input.prefix(parser.problem_offset), as: UTF8.self)
            self.init(kind: .characters, line: before.reduce(1) { $1.isNewline ? $0 + 1 : $0 }, problem: problem)
        case YAML_SCANNER_ERROR, YAML_PARSER_ERROR, YAML_COMPOSER_ERROR:
            self.init(kind: .syntax, line: Int(parser.problem_mark.line) + 1, problem: problem)
        default:
            self.init(kind: .syntax, line: nil, problem: "out of memory")
        }
    }
}

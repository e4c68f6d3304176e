/// One YAML document as a compact tree: scalars, mappings and lists with the
/// line each starts on, in three flat arrays (no object per node).
///
/// Nothing is typed here: a scalar is its text (`30s`, `on`, `1` and `"1"`
/// alike), because the config's reader knows which keys are strings, numbers
/// or durations. Aliases read as the node they name. Built by
/// `YAMLDocument.parse` from libyaml's events (`YAMLEventReader.swift`): a
/// 10,000-source config (60,000 lines) takes a few MB this way, where a
/// tree of Yams nodes (a `Tag` object, a mark and a style per scalar) took
/// tens.
public final class YAMLDocument: Sendable {
    struct Entry: Sendable {
        var kind: YAMLNode.Kind
        /// 1-based, as people count.
        var line: UInt32
        /// A scalar: its first byte in `bytes`; a mapping or list: its first child in `children`.
        var start: UInt32
        /// A scalar: its length in bytes; a mapping: twice its pairs (key, value, key, value…); a list: its items.
        var count: UInt32
    }

    let entries: [Entry]
    let children: [UInt32]
    let bytes: [UInt8]
    let rootIndex: UInt32

    init(entries: [Entry], children: [UInt32], bytes: [UInt8], rootIndex: UInt32) {
        self.entries = entries
        self.children = children
        self.bytes = bytes
        self.rootIndex = rootIndex
    }

    /// The document's top node.
    public var root: YAMLNode { YAMLNode(document: self, index: rootIndex) }
}

/// A node of a `YAMLDocument`: a view, cheap to copy.
public struct YAMLNode: Sendable {
    public enum Kind: UInt8, Sendable {
        case scalar, mapping, sequence
    }

    let document: YAMLDocument
    let index: UInt32

    private var entry: YAMLDocument.Entry { document.entries[Int(index)] }

    public var kind: Kind { entry.kind }

    /// The line the node starts on, counting from 1.
    public var line: Int { Int(entry.line) }

    /// A scalar's text (as written, after YAML's quoting and escapes); nil for a mapping or a list.
    public var scalar: String? {
        let e = entry
        guard e.kind == .scalar else { return nil }
        let start = Int(e.start)
        return String(decoding: document.bytes[start..<start + Int(e.count)], as: UTF8.self)
    }

    /// A mapping's pairs in the order written; empty for a scalar or a list.
    public var pairs: [(key: YAMLNode, value: YAMLNode)] {
        let e = entry
        guard e.kind == .mapping else { return [] }
        let start = Int(e.start)
        return stride(from: start, to: start + Int(e.count), by: 2).map {
            (YAMLNode(document: document, index: document.children[$0]),
             YAMLNode(document: document, index: document.children[$0 + 1]))
        }
    }

    /// A list's items; empty for a scalar or a mapping.
    public var items: [YAMLNode] {
        let e = entry
        guard e.kind == .sequence else { return [] }
        let start = Int(e.start)
        return document.children[start..<start + Int(e.count)].map { YAMLNode(document: document, index: $0) }
    }
}

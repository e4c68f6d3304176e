@testable import FeedConfig
import Testing

/// The YAML reader the config and the Jekyll front matter go through:
/// libyaml's events into a compact tree, with lines, aliases and the
/// refusals Yams' `compose` made (duplicate keys, a second document, an
/// undefined alias, control characters).
@Suite("YAML: libyaml's events into a compact tree")
struct YAMLDocumentTests {
    func parse(_ text: String) throws(YAMLSyntaxError) -> YAMLNode {
        guard let document = try YAMLDocument.parse(text) else {
            Issue.record("no document in \(text.debugDescription)")
            throw YAMLSyntaxError(kind: .syntax, line: nil, problem: "no document")
        }
        return document.root
    }

    func failure(_ text: String) -> YAMLSyntaxError? {
        do { _ = try YAMLDocument.parse(text); return nil } catch { return error }
    }

    @Test("scalars keep their text as written, untyped; nodes know their lines")
    func scalarsAndLines() throws {
        let root = try parse("a: 30s\nb: \"1\"\nc: 1\nd: ~\ne:\n  - x\n  - {y: 'q\\n'}\nf: \"tab\\there\"\n")
        #expect(root.kind == .mapping)
        let pairs = root.pairs
        #expect(pairs.map { $0.key.scalar } == ["a", "b", "c", "d", "e", "f"])
        #expect(pairs.map(\.key.line) == [1, 2, 3, 4, 5, 8])
        #expect(pairs[0].value.scalar == "30s")
        #expect(pairs[1].value.scalar == "1")
        #expect(pairs[2].value.scalar == "1")
        #expect(pairs[3].value.scalar == "~")
        let list = pairs[4].value
        #expect(list.kind == .sequence && list.scalar == nil && list.line == 6)
        #expect(list.items.map(\.line) == [6, 7])
        #expect(list.items[1].pairs.first?.value.scalar == "q\\n") // single quotes: no escapes
        #expect(pairs[5].value.scalar == "tab\there")
        #expect(root.items.isEmpty && list.pairs.isEmpty)
    }

    @Test("an empty value is an empty scalar; a stream of comments holds no document")
    func empty() throws {
        #expect(try parse("a:\n").pairs.first?.value.scalar == "")
        #expect(try YAMLDocument.parse("") == nil)
        #expect(try YAMLDocument.parse("# only a comment\n\n") == nil)
        #expect(try parse("---\n").scalar == "")
    }

    @Test("an alias reads as the node its anchor names")
    func aliases() throws {
        let root = try parse("base: &b {x: 1, y: [a, b]}\nother: *b\nname: &n s1\nagain: *n\n")
        let pairs = root.pairs
        #expect(pairs[1].value.kind == .mapping)
        #expect(pairs[1].value.line == 1) // where the anchored node is
        #expect(pairs[1].value.pairs.map { $0.key.scalar } == ["x", "y"])
        #expect(pairs[1].value.pairs[1].value.items.map(\.scalar) == ["a", "b"])
        #expect(pairs[3].value.scalar == "s1")
    }

    @Test("refusals carry the line: undefined or self-containing alias, duplicate keys, a second document, controls",
          arguments: [
              ("a: 1\nb: *nowhere\n", YAMLSyntaxError(kind: .syntax, line: 2, problem: "found undefined alias")),
              // The anchor counts once its node is complete, so a node cannot hold itself.
              ("a: &x\n  b: *x\n", YAMLSyntaxError(kind: .syntax, line: 2, problem: "found undefined alias")),
              ("k: 1\nz: 2\nk: 3\nz: 4\n", YAMLSyntaxError(kind: .duplicateKeys(["k", "z"]), line: 1, problem: "duplicate keys")),
              // The config's keys are text: `1` and "1" name one key (Yams, typing scalars, took them for two).
              ("m:\n  1: a\n  \"1\": b\n", YAMLSyntaxError(kind: .duplicateKeys(["1"]), line: 2, problem: "duplicate keys")),
              ("a: 1\n---\nb: 2\n", YAMLSyntaxError(kind: .syntax, line: 2, problem: "but found another document")),
              ("a: 1\nb: x\u{1}y\n", YAMLSyntaxError(kind: .characters, line: 2, problem: "control characters are not allowed")),
              ("a: [1\nb: 2\n", YAMLSyntaxError(kind: .syntax, line: 2, problem: "did not find expected ',' or ']'")),
          ])
    func refusals(text: String, expected: YAMLSyntaxError) {
        #expect(failure(text) == expected, "\(text.debugDescription)")
    }

    @Test("nesting: 900 open lists read (without recursion), 100,000 are refused with a line, not a crash")
    func deepNesting() throws {
        let depth = 900
        var node = try parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        var levels = 1
        while let inner = node.items.first { node = inner; levels += 1 }
        #expect(levels == depth)
        let deep = failure(String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))
        #expect(deep?.line == 1 && deep?.problem.hasPrefix("Maximum nesting level reached") == true, "\(String(describing: deep))")
    }

    /// Two sources sharing one `fields` mapping through an anchor.
    static func aliasedConfig(titleKey: String = "title") -> String {
        """
        sources:
          - name: a
            type: json
            url: http://example.com/a
            list: record
            fields: &fields {id: infoCode, \(titleKey): title, date: datetime}
            category: 新华财经
          - name: b
            type: json
            url: http://example.com/b
            list: record
            fields: *fields
            category: 新华财经
        """
    }

    @Test("a config with anchors and aliases reads (a shared fields mapping)")
    func configAliases() throws {
        let config = try ConfigLoader.parse(yaml: Self.aliasedConfig(), file: "config.yaml", baseDirectory: "/srv/feedd")
        #expect(config.sources.map(\.name) == ["a", "b"])
        #expect(config.sources[0].kind == config.sources[1].kind)
    }

    @Test("a config mistake inside an aliased node names the line of the anchored node and the first key path")
    func configAliasMistake() {
        do {
            _ = try ConfigLoader.parse(yaml: Self.aliasedConfig(titleKey: "titel"), file: "config.yaml", baseDirectory: "/srv/feedd")
            Issue.record("no error")
        } catch {
            #expect(error.line == 6 && error.keyPath == "sources[0].fields.titel", "\(error)")
            #expect(error.message.contains("did you mean 'title'?"), "\(error)")
        }
    }
}

import CLibXML2
import Testing
@testable import FeedNormalize

/// `NestingRules` must be what the linked libxml2 does: for every pair of
/// kept elements, parse `<e><x>` and see whether `x` ended up inside `e`.
@Suite("Nesting rules match libxml2")
struct NestingRulesTests {
    @Test func tableMatchesParser() {
        LibXML2.initialize()
        let kept = Allowlist.rules.filter { $0.action == .keep }.map(\.name)
        let containers = Allowlist.rules.filter { $0.action == .keep && !$0.flags.contains(.void) }.map(\.name)
        var derived: [String: [String]] = [:]
        for e in containers {
            for x in kept where !isNested(x, in: e) { derived[e, default: []].append(x) }
        }
        for e in containers {
            #expect(Set(derived[e] ?? []) == Set(NestingRules.closedBy[e] ?? []), "elements that close <\(e)>")
        }
    }

    private func isNested(_ child: String, in parent: String) -> Bool {
        let html = Array("<\(parent)><\(child)>".utf8)
        let options = HTMLEvents.options
        guard let doc = html.withUnsafeBufferPointer({ bytes in
            bytes.withMemoryRebound(to: CChar.self) { htmlReadMemory($0.baseAddress, Int32($0.count), nil, "UTF-8", options) }
        }) else { return false }
        defer { xmlFreeDoc(doc) }
        var body = xmlDocGetRootElement(doc)?.pointee.children
        while let node = body, String(cString: node.pointee.name) != "body" { body = node.pointee.next }
        guard let outer = body?.pointee.children, let inner = outer.pointee.children else { return false }
        return inner.pointee.type == XML_ELEMENT_NODE && String(cString: inner.pointee.name) == child
    }
}

import CLibXML2
import Foundation
@testable import FeedNormalize

/// Checks normalizer output the way a feed reader meets it: parsed by an XML
/// parser (libxml2's, strict: no recovery) as the content of a wrapper
/// element, then walked. Every violation is reported as a sentence.
///
/// Shared by the normalizer's property tests and its fuzz target
/// (`Fuzz/normalizer`), so both hold the output to the same rules.
public enum OutputChecker {
    /// Elements the allowlist keeps, with the attributes each may carry.
    public static let allowed: [String: Set<String>] = {
        var allowed: [String: Set<String>] = [:]
        for rule in Allowlist.rules where rule.action == .keep {
            allowed[rule.name] = Set(rule.attributes.map(\.name))
        }
        allowed["a", default: []].insert("rel")
        return allowed
    }()

    /// Problems with `html`; empty when it is a well-formed, allowlisted,
    /// safe, NFC fragment.
    public static func problems(in html: String) -> [String] {
        var problems: [String] = []
        // Compare scalars: String's == is canonical equivalence, blind to NFC.
        if !html.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual(html.unicodeScalars) {
            problems.append("output is not NFC")
        }
        problems += TextChecks.forbiddenCharacters(in: html, named: "output")
        LibXML2.initialize()
        let wrapped = Array("<root>\(html)</root>".utf8)
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let document = wrapped.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { xmlReadMemory($0.baseAddress, Int32($0.count), nil, "UTF-8", options) }
        }
        guard let document else {
            problems.append("output is not a well-formed XML fragment")
            return problems
        }
        defer { xmlFreeDoc(document) }
        walk(xmlDocGetRootElement(document)?.pointee.children, into: &problems)
        return problems
    }

    /// Where each table part may stand (directly).
    static let tableParents: [String: Set<String>] = [
        "td": ["tr"], "th": ["tr"], "tr": ["table", "thead", "tbody", "tfoot"],
        "thead": ["table"], "tbody": ["table"], "tfoot": ["table"], "caption": ["table"],
    ]

    private static func walk(_ first: xmlNodePtr?, into problems: inout [String]) {
        var node = first
        while let current = node {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                let name = String(cString: current.pointee.name)
                if let attributes = allowed[name] {
                    check(current, element: name, allowedAttributes: attributes, into: &problems)
                    let parent = current.pointee.parent.map { String(cString: $0.pointee.name) } ?? ""
                    if let parents = tableParents[name], !parents.contains(parent) {
                        problems.append("<\(name)> in <\(parent)>: a reader's parser moves or drops it")
                    }
                } else {
                    problems.append("element <\(name)> is not in the allowlist")
                }
                walk(current.pointee.children, into: &problems)
            case XML_TEXT_NODE:
                break
            default:
                problems.append("node of type \(current.pointee.type.rawValue) (comment, PI, CDATA?) in output")
            }
            node = current.pointee.next
        }
    }

    private static func check(_ element: xmlNodePtr, element name: String, allowedAttributes: Set<String>,
                              into problems: inout [String]) {
        var attribute = element.pointee.properties
        while let current = attribute {
            let attributeName = String(cString: current.pointee.name)
            let value = current.pointee.children.map { String(cString: $0.pointee.content) } ?? ""
            if attributeName.lowercased().hasPrefix("on") || attributeName == "style" {
                problems.append("<\(name)> has \(attributeName)=\"\(value)\"")
            } else if !allowedAttributes.contains(attributeName) {
                problems.append("<\(name)> has attribute \(attributeName), not allowlisted")
            }
            if attributeName == "href" || attributeName == "src" {
                // Compare bytes: a combining mark after "//" would make a
                // Character-based hasPrefix fail.
                let lower = Array(value.lowercased().utf8)
                let schemes = attributeName == "href" ? ["http://", "https://", "mailto:"] : ["http://", "https://"]
                if !schemes.contains(where: { lower.starts(with: $0.utf8) }) {
                    problems.append("<\(name) \(attributeName)=\"\(value)\"> is not an http(s)\(attributeName == "href" ? "/mailto" : "") URL")
                }
                if value.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) {
                    problems.append("<\(name) \(attributeName)=\"\(value)\"> holds whitespace or controls")
                }
            }
            attribute = current.pointee.next
        }
    }
}

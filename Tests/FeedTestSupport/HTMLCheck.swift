import CLibXML2
import Foundation

/// Reads an HTML fragment the way a feed reader meets it: libxml2's HTML
/// parser (recovering, like a browser), then a walk of what it built.
public enum HTMLCheck {
    public struct Element: Sendable {
        public var name: String
        /// In document order; names lowercased by the parser.
        public var attributes: [(name: String, value: String)]

        public func attribute(_ name: String) -> String? { attributes.first { $0.name == name }?.value }
    }

    /// Every element below `<body>` in document order, and a sentence for each
    /// comment, processing instruction or CDATA node found.
    public static func parse(_ fragment: String) -> (elements: [Element], others: [String]) {
        xmlInitParser()
        let bytes = Array(fragment.utf8)
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                            | HTML_PARSE_NONET.rawValue)
        let doc = bytes.withUnsafeBufferPointer { buf in
            buf.withMemoryRebound(to: CChar.self) { htmlReadMemory($0.baseAddress, Int32($0.count), nil, "UTF-8", options) }
        }
        guard let doc else { return ([], bytes.isEmpty ? [] : ["the fragment could not be parsed"]) }
        defer { xmlFreeDoc(doc) }
        var elements: [Element] = []
        var others: [String] = []
        func walk(_ first: xmlNodePtr?, belowBody: Bool) {
            var node = first
            while let current = node {
                switch current.pointee.type {
                case XML_ELEMENT_NODE:
                    let name = String(cString: current.pointee.name)
                    if belowBody {
                        var attributes: [(String, String)] = []
                        var attribute = current.pointee.properties
                        while let a = attribute {
                            let value = a.pointee.children.flatMap { $0.pointee.content.map { String(cString: $0) } } ?? ""
                            attributes.append((String(cString: a.pointee.name), value))
                            attribute = a.pointee.next
                        }
                        elements.append(Element(name: name, attributes: attributes))
                    }
                    walk(current.pointee.children, belowBody: belowBody || name == "body")
                case XML_TEXT_NODE, XML_DTD_NODE:
                    break
                default:
                    others.append("node of type \(current.pointee.type.rawValue) (comment, PI, CDATA)")
                }
                node = current.pointee.next
            }
        }
        walk(doc.pointee.children, belowBody: false)
        return (elements, others)
    }

    /// What a reader would be exposed to in `fragment`: elements or attributes
    /// outside `allowed` (element → attributes), event handlers, styles, URLs
    /// that are not http(s) (or mailto for links), comments. Empty when safe.
    public static func problems(in fragment: String, allowed: [String: Set<String>]) -> [String] {
        let (elements, others) = parse(fragment)
        var problems = others
        for element in elements {
            guard let attributes = allowed[element.name] else {
                problems.append("element <\(element.name)> is not in the allowlist")
                continue
            }
            for (name, value) in element.attributes {
                if name.hasPrefix("on") || name == "style" || !attributes.contains(name) {
                    problems.append("<\(element.name)> has attribute \(name)=\"\(value)\", not allowlisted")
                }
                if name == "href" || name == "src" {
                    let lower = value.lowercased()
                    let schemes = name == "href" ? ["http://", "https://", "mailto:"] : ["http://", "https://"]
                    if !schemes.contains(where: { lower.hasPrefix($0) }) {
                        problems.append("<\(element.name) \(name)=\"\(value)\"> is not an allowed URL")
                    }
                }
            }
        }
        return problems
    }

    /// Problems in a plain-text field read as HTML by a careless reader:
    /// anything but the paragraph libxml2 implies around bare text.
    public static func plainTextProblems(in text: String) -> [String] {
        problems(in: text, allowed: ["p": []])
    }
}

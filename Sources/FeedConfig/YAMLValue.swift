import Foundation

/// A YAML node together with where it is (file, key path, line), so that every
/// reading mistake becomes a `ConfigError` that points at the spot.
struct YAMLValue {
    let node: YAMLNode
    let keyPath: String
    let file: String

    var line: Int? { node.line }

    /// The scalar's text, even empty; nil for a mapping or a list.
    var scalar: String? { node.scalar }

    func error(_ message: String) -> ConfigError {
        ConfigError(file: file, line: line, keyPath: keyPath, message: message)
    }

    private var kindName: String {
        switch node.kind {
        case .scalar: "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }

    /// A mapping whose keys must all be in `allowed` (nil: any); a misspelled key gets a suggestion.
    func mapping(allowed: [String]?) throws(ConfigError) -> YAMLMapping {
        guard node.kind == .mapping else { throw error("expected a mapping, found \(kindName)") }
        var entries: [(key: String, value: YAMLValue)] = []
        for (keyNode, valueNode) in node.pairs {
            guard let key = keyNode.scalar else {
                throw ConfigError(file: file, line: keyNode.line, keyPath: keyPath, message: "keys must be plain strings")
            }
            let path = keyPath.isEmpty ? key : "\(keyPath).\(key)"
            if let allowed, !allowed.contains(key) {
                let hint = Suggestion.closest(to: key, among: allowed).map { "; did you mean '\($0)'?" } ?? ""
                throw ConfigError(file: file, line: keyNode.line, keyPath: path,
                                  message: "unknown key '\(key)'\(hint) (allowed here: \(allowed.joined(separator: ", ")))")
            }
            entries.append((key, YAMLValue(node: valueNode, keyPath: path, file: file)))
        }
        return YAMLMapping(owner: self, entries: entries)
    }

    /// A mapping whose keys are names chosen by the user (`categories:`).
    func namedMapping() throws(ConfigError) -> [(key: String, value: YAMLValue)] {
        guard node.kind == .mapping else { throw error("expected a mapping, found \(kindName)") }
        var out: [(key: String, value: YAMLValue)] = []
        for (keyNode, valueNode) in node.pairs {
            guard let key = keyNode.scalar, !key.isEmpty else {
                throw ConfigError(file: file, line: keyNode.line, keyPath: keyPath, message: "keys must be non-empty strings")
            }
            out.append((key, YAMLValue(node: valueNode, keyPath: "\(keyPath).\(key)", file: file)))
        }
        return out
    }

    func sequence() throws(ConfigError) -> [YAMLValue] {
        guard node.kind == .sequence else { throw error("expected a list, found \(kindName)") }
        return node.items.enumerated().map { YAMLValue(node: $1, keyPath: "\(keyPath)[\($0)]", file: file) }
    }

    /// A non-empty scalar.
    func string() throws(ConfigError) -> String {
        guard let s = node.scalar else { throw error("expected a string, found \(kindName)") }
        guard !s.trimmingCharacters(in: .whitespaces).isEmpty else { throw error("must not be empty") }
        return s
    }

    func int(in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        let text = try string()
        guard let n = Int(text) else { throw error("expected a whole number, found '\(text)'") }
        guard range.contains(n) else { throw error("\(n) is out of range \(range.lowerBound)…\(range.upperBound)") }
        return n
    }

    func duration(atLeast minimum: Duration = .seconds(1)) throws(ConfigError) -> Duration {
        let text = try string()
        guard let d = Quantities.duration(text) else {
            throw error("'\(text)' is not a duration; write a number and a unit: 500ms, 30s, 5m, 2h, 1d")
        }
        guard d >= minimum else { throw error("'\(text)' is too short (at least \(minimum))") }
        return d
    }

    func size() throws(ConfigError) -> Int {
        let text = try string()
        guard let n = Quantities.size(text), n > 0 else {
            throw error("'\(text)' is not a size; write a number and a unit: 512KB, 15MB, 1GB")
        }
        return n
    }
}

/// The keys of one mapping, checked against what is allowed there.
struct YAMLMapping {
    let owner: YAMLValue
    let entries: [(key: String, value: YAMLValue)]

    func optional(_ key: String) -> YAMLValue? {
        entries.first { $0.key == key }?.value
    }

    func required(_ key: String) throws(ConfigError) -> YAMLValue {
        guard let v = optional(key) else {
            let path = owner.keyPath.isEmpty ? key : "\(owner.keyPath).\(key)"
            throw ConfigError(file: owner.file, line: owner.line, keyPath: path, message: "missing required key '\(key)'")
        }
        return v
    }
}

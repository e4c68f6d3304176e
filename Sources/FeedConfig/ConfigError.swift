/// A mistake in the config: which file, which line, which key, what is wrong.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// Dotted path of the key, with indexes: `sources[1].fields.id`.
    public var keyPath: String
    public var message: String
    /// Further mistakes found in the same pass (the rules and topics are all
    /// read, so `feedd check` reports every mistake in them at once).
    public var others: [ConfigError] = []

    public init(file: String, line: Int?, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        let first = keyPath.isEmpty ? "\(place): \(message)" : "\(place): \(keyPath): \(message)"
        return ([first] + others.map(\.description)).joined(separator: "\n")
    }
}

/// A storage failure, naming the database file and what was being done.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var action: String
    public var message: String

    public init(path: String, action: String, message: String) {
        self.path = path
        self.action = action
        self.message = message
    }

    public var description: String { "store \(path): \(action): \(message)" }
}

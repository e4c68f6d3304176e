import Foundation

/// Fixture payloads the tests own (`Tests/FeedTestSupport/Fixtures`).
public enum Fixtures {
    public static func bytes(_ name: String) -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"),
              let data = try? Data(contentsOf: url) else {
            fatalError("missing fixture \(name)") // a test setup mistake, not input
        }
        return [UInt8](data)
    }

    public static func text(_ name: String) -> String { String(decoding: bytes(name), as: UTF8.self) }

    public static func url(_ name: String) -> URL {
        Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")!
    }
}

/// A fresh temporary folder, removed by `remove()`.
public struct TempFolder: Sendable {
    public let path: String

    public init() {
        path = NSTemporaryDirectory() + "feedd-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }

    public func file(_ name: String) -> String { path + "/" + name }

    public func write(_ name: String, _ text: String) -> String {
        let p = file(name)
        try? FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }
}

import Foundation

/// Byte equality. `String`'s `==` is canonical equivalence ("é" equals
/// "e\u{301}"), too weak for "same bytes" and for NFC.
func sameBytes(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

enum Fixtures {
    static func golden(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: "Golden/\(name)", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Golden/\(name)"])
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one way feedd writes a file: to a temp file beside it, fsync, rename,
/// fsync the folder (`Batch` does it for many files at once). A reader sees the old bytes or the new ones, never a mix,
/// and a crash never leaves a truncated feed.
public enum AtomicFile {
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "cannot write \(path): \(message)" }
    }

    /// Writes `bytes` to `path` unless the file already holds exactly them.
    /// Returns whether the file changed.
    @discardableResult
    public static func write(_ bytes: [UInt8], to path: String) throws(WriteError) -> Bool {
        var batch = Batch(limit: 1) // one file: the same steps as a batch of many
        let changed = try batch.write(bytes, to: path)
        if let failure = batch.commit().first { throw failure }
        return changed
    }
}

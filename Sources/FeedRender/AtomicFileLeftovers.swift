import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The temp files `AtomicFile.write` makes, and the removal of those a killed
/// run left behind.
///
/// A write that dies between `open` and `rename` (SIGKILL, power loss)
/// leaves `.<name>.tmp-<pid>-<random>` beside the file it was writing; the
/// real file is whole, old or new. The next `feedd refresh` or `feedd run`
/// removes such files before it writes anything.
extension AtomicFile {
    /// The temp file a write of `path` goes through: hidden, beside it, named
    /// for the writing process (so a leftover can be told from a live write).
    static func tempPath(for path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder + "/." + (path as NSString).lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// The writing process's id when `name` is a temp file name `tempPath` makes.
    static func tempFileWriter(_ name: String) -> pid_t? {
        guard name.hasPrefix("."), let marker = name.range(of: ".tmp-", options: .backwards),
              marker.lowerBound > name.index(after: name.startIndex) else { return nil }
        let parts = name[marker.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let pid = pid_t(parts[0]), UInt32(parts[1]) != nil else { return nil }
        return pid
    }

    /// Removes the temp files under `folder` (recursively) whose writer is no
    /// longer running — or is this process, which has not started writing.
    /// A live writer's file (a `feedd refresh` beside the daemon) is left alone.
    /// Returns the paths removed; a folder that does not exist has none.
    public static func removeLeftovers(in folder: String) throws(WriteError) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else { return [] }
        guard let walk = FileManager.default.enumerator(atPath: folder) else {
            throw WriteError(path: folder, message: "cannot list the folder")
        }
        var removed: [String] = []
        while let relative = walk.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            guard let writer = tempFileWriter(name), writer == getpid() || !isRunning(writer) else { continue }
            let path = folder + "/" + relative
            guard unlink(path) == 0 || errno == ENOENT else {
                throw WriteError(path: path, message: "cannot remove a leftover temp file: \(String(cString: strerror(errno)))")
            }
            removed.append(path)
        }
        return removed
    }

    private static func isRunning(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}

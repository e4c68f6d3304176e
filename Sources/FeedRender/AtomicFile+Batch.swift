import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension AtomicFile {
    /// Many files written the way `AtomicFile.write` writes one, made durable
    /// together: each file goes to its temp file at once; `commit` starts the
    /// write-back of every temp file, waits for it (`fdatasync` each: the first
    /// one commits the journal for all of them), renames each into place, then
    /// syncs each folder once. A reader sees each file old or new, never a mix;
    /// a crash leaves old or new files and temp files that the next start
    /// removes (`removeLeftovers`), never a torn file.
    ///
    /// A render writes its feeds through one batch, so the disk's flushes are
    /// paid once per render instead of twice per file. At most `limit` temp
    /// files are open at once: a batch that reaches it commits what it holds.
    public struct Batch: ~Copyable {
        struct Staged {
            var path: String
            var temp: String
            var folder: String
            var fd: Int32
        }

        private var staged: [Staged] = []
        private var failures: [WriteError] = []
        private var folders: Set<String> = []
        private let limit: Int

        public init(limit: Int = 64) {
            self.limit = max(1, limit)
        }

        /// Writes `bytes` to `path`'s temp file unless the file already holds
        /// exactly them; `path` gets them at the next `commit`. Returns whether
        /// the file will change. Throws for this file only.
        public mutating func write(_ bytes: [UInt8], to path: String) throws(WriteError) -> Bool {
            if let existing = FileManager.default.contents(atPath: path), existing.elementsEqual(bytes) { return false }
            let folder = (path as NSString).deletingLastPathComponent
            if !folders.contains(folder) {
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                } catch {
                    throw WriteError(path: path, message: "cannot create folder: \(error.localizedDescription)")
                }
                folders.insert(folder)
            }
            let temp = tempPath(for: path)
            let fd = try AtomicFile.writeTemp(bytes, to: temp, for: path)
            staged.append(Staged(path: path, temp: temp, folder: folder, fd: fd))
            if staged.count >= limit { flush() }
            return true
        }

        /// Makes every staged file durable and puts it in place. Returns the
        /// files that could not be (each named, with why); the others are written.
        public mutating func commit() -> [WriteError] {
            flush()
            defer { failures = [] }
            return failures
        }

        private mutating func flush() {
            guard !staged.isEmpty else { return }
            // Start every file's write-back first, so the waits below overlap (on Linux,
            // POSIX_FADV_DONTNEED starts write-back of the dirty pages without waiting for it).
            for file in staged { _ = posix_fadvise(file.fd, 0, 0, POSIX_FADV_DONTNEED) }
            var synced: Set<String> = []
            for file in staged {
                let ok = fdatasync(file.fd) == 0
                let why = ok ? nil : String(cString: strerror(errno))
                close(file.fd)
                guard ok, rename(file.temp, file.path) == 0 else {
                    failures.append(WriteError(path: file.path, message: why ?? String(cString: strerror(errno))))
                    unlink(file.temp)
                    continue
                }
                synced.insert(file.folder)
            }
            staged = []
            for folder in synced {
                let dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                if dir >= 0 { fsync(dir); close(dir) }
            }
        }

        deinit {
            // Dropped without a commit (a thrown error upstream): nothing is put in place.
            for file in staged {
                close(file.fd)
                unlink(file.temp)
            }
        }
    }

    /// Creates `temp` and writes `bytes` to it; returns its open descriptor (not synced).
    static func writeTemp(_ bytes: [UInt8], to temp: String, for path: String) throws(WriteError) -> Int32 {
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(path: path, message: String(cString: strerror(errno))) }
        var failed: Int32 = 0
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failed = errno
                    return
                }
                offset += n
            }
        }
        guard failed == 0 else {
            close(fd)
            unlink(temp)
            throw WriteError(path: path, message: String(cString: strerror(failed)))
        }
        return fd
    }
}

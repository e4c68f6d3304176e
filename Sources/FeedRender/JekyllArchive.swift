import FeedModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The calendar day a post is filed under: the `2021-12-29` its file name starts with.
public struct PostDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// The day of `date` in `zone`.
    public init(_ date: Date, in zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        year = c.year ?? 1970
        month = c.month ?? 1
        day = c.day ?? 1
    }

    /// The day a Jekyll post's file name starts with (`2021-12-29-…`); nil for any other name.
    public init?(fileName: String) {
        let b = Array(fileName.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= b.count else { return nil }
            var n = 0
            for i in range {
                guard (0x30...0x39).contains(b[i]) else { return nil }
                n = n * 10 + Int(b[i] - 0x30)
            }
            return n
        }
        guard b.count > 11, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x2D,
              let y = number(0..<4), let m = number(5..<7), let d = number(8..<10),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        year = y
        month = m
        day = d
    }

    /// Days since 1970-01-01 (proleptic Gregorian): no time zone or DST can shift it.
    public var dayNumber: Int { CivilTime.daysFromCivil(year: year, month: month, day: day) }

    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    public static func < (a: PostDay, b: PostDay) -> Bool { a.dayNumber < b.dayNumber }
}

/// Moves posts from `posts` to `archive` once they are past keeping, as the
/// old site's script moved `_posts` older than three days to `old_post/`.
///
/// The rule, in whole calendar days of the site's zone: a post is kept while
/// its day is at most `keepDays` days before today. With `keepDays: 3`, a post
/// of 2021-12-29 stays through 2022-01-01 (exactly 3 days old) and moves on
/// 2022-01-02. Days, not hours, because a post's file name carries only its
/// day, so every post of one day moves together and a post never needs to be
/// opened to know its age. Nothing is deleted; moving again finds nothing to do.
public struct JekyllArchive: Sendable {
    public var posts: String
    public var archive: String
    public var keepDays: Int
    public var timezone: TimeZone

    public init(posts: String, archive: String, keepDays: Int, timezone: TimeZone) {
        self.posts = posts
        self.archive = archive
        self.keepDays = keepDays
        self.timezone = timezone
    }

    public struct Outcome: Sendable, Equatable {
        /// File names moved to the archive.
        public var moved: [String] = []
        public var errors: [String] = []

        public init(moved: [String] = [], errors: [String] = []) {
            self.moved = moved
            self.errors = errors
        }
    }

    /// Whether a post of `day` has left `posts` at `now`.
    public static func isPastKeeping(_ day: PostDay, now: Date, keepDays: Int, in zone: TimeZone) -> Bool {
        PostDay(now, in: zone).dayNumber - day.dayNumber > keepDays
    }

    /// Moves every post past keeping from `posts` to `archive`. A post already
    /// in the archive under the same name is replaced by the one from `posts`,
    /// which is the newer rendering of the same article.
    public func run(now: Date) -> Outcome {
        var outcome = Outcome()
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: posts)
        } catch {
            // No posts folder yet is nothing to do; one that cannot be read is an error to report.
            if !FileManager.default.fileExists(atPath: posts) { return outcome }
            outcome.errors.append("cannot list the posts in \(posts): \(error.localizedDescription)")
            return outcome
        }
        for name in names.sorted() where Self.isPostFile(name) {
            guard let day = PostDay(fileName: name),
                  Self.isPastKeeping(day, now: now, keepDays: keepDays, in: timezone) else { continue }
            do {
                try move(name)
                outcome.moved.append(name)
            } catch {
                outcome.errors.append("\(error)")
            }
        }
        return outcome
    }

    /// A Jekyll post: `YYYY-MM-DD-title.md` (also `.markdown`, `.html`); not a
    /// hidden file such as a half-written temp file.
    public static func isPostFile(_ name: String) -> Bool {
        !name.hasPrefix(".") && [".md", ".markdown", ".html"].contains(where: name.hasSuffix) && PostDay(fileName: name) != nil
    }

    public struct MoveError: Error, Sendable, CustomStringConvertible {
        public var from: String
        public var to: String
        public var message: String
        public var description: String { "cannot move \(from) to \(to): \(message)" }
    }

    private func move(_ name: String) throws(MoveError) {
        let from = posts + "/" + name, to = archive + "/" + name
        do {
            try FileManager.default.createDirectory(atPath: archive, withIntermediateDirectories: true)
        } catch {
            throw MoveError(from: from, to: to, message: "cannot create the archive folder: \(error.localizedDescription)")
        }
        if rename(from, to) == 0 { return }
        guard errno == EXDEV else { throw MoveError(from: from, to: to, message: String(cString: strerror(errno))) }
        // Another file system: copy atomically, then remove the original, so the post is always in one place or both.
        guard let bytes = FileManager.default.contents(atPath: from) else {
            throw MoveError(from: from, to: to, message: "cannot read it")
        }
        do {
            try AtomicFile.write([UInt8](bytes), to: to)
        } catch {
            throw MoveError(from: from, to: to, message: error.message)
        }
        if unlink(from) != 0 { throw MoveError(from: from, to: to, message: String(cString: strerror(errno))) }
    }
}

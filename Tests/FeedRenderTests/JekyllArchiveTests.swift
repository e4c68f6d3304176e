import FeedRender
import FeedTestSupport
import Foundation
import Testing

@Suite("Jekyll archive: posts past keep_days move, nothing is deleted")
struct JekyllArchiveTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    /// An instant given as Beijing wall-clock time.
    static func beijing(_ text: String) -> Date {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f.date(from: text)!
    }

    struct Boundary: Sendable, CustomStringConvertible {
        let now: String
        let keepDays: Int
        let moves: Bool
        var description: String { "post of 2021-12-29, keep \(keepDays), now \(now) +0800: \(moves ? "moves" : "stays")" }
    }

    @Test("a post exactly keep_days old stays; one day more and it moves", arguments: [
        Boundary(now: "2021-12-29 00:00:00", keepDays: 3, moves: false),
        Boundary(now: "2022-01-01 00:00:00", keepDays: 3, moves: false),
        Boundary(now: "2022-01-01 23:59:59", keepDays: 3, moves: false), // exactly 3 days old: kept
        Boundary(now: "2022-01-02 00:00:00", keepDays: 3, moves: true),
        Boundary(now: "2021-12-29 23:59:59", keepDays: 0, moves: false),
        Boundary(now: "2021-12-30 00:00:00", keepDays: 0, moves: true),
        Boundary(now: "2021-12-28 12:00:00", keepDays: 0, moves: false), // dated ahead of today
    ])
    func boundary(_ b: Boundary) {
        let day = PostDay(fileName: "2021-12-29-NW202112292229992448.md")!
        #expect(JekyllArchive.isPastKeeping(day, now: Self.beijing(b.now), keepDays: b.keepDays, in: Self.zone) == b.moves)
    }

    @Test("days are counted in the site's zone, not UTC")
    func zone() {
        let day = PostDay(fileName: "2021-12-29-x1.md")!
        // 16:00 UTC on 2022-01-01 is already 2022-01-02 in Beijing.
        let now = Date(timeIntervalSince1970: 1_641_052_800)
        #expect(JekyllArchive.isPastKeeping(day, now: now, keepDays: 3, in: Self.zone))
        #expect(!JekyllArchive.isPastKeeping(day, now: now, keepDays: 3, in: TimeZone(identifier: "UTC")!))
    }

    @Test("post file names", arguments: [
        ("2021-12-29-NW202112292229992448.md", true), ("2021-12-29-a.markdown", true), ("2021-12-29-a.html", true),
        ("2021-12-29.md", false), ("about.md", false), ("2021-13-01-a.md", false), ("2021-12-29-a.txt", false),
        (".2021-12-29-a.md.tmp-1-2", false), ("21-12-29-a.md", false),
    ])
    func postFiles(name: String, isPost: Bool) {
        #expect(JekyllArchive.isPostFile(name) == isPost)
    }

    @Test("day numbers are consecutive across months, years and leap days")
    func dayNumbers() {
        #expect(PostDay(fileName: "1970-01-01-a.md")!.dayNumber == 0)
        #expect(PostDay(fileName: "2022-01-01-a.md")!.dayNumber - PostDay(fileName: "2021-12-31-a.md")!.dayNumber == 1)
        #expect(PostDay(fileName: "2024-03-01-a.md")!.dayNumber - PostDay(fileName: "2024-02-28-a.md")!.dayNumber == 2)
        #expect(PostDay(fileName: "2021-12-29-a.md")!.dayNumber == PostDay(Self.beijing("2021-12-29 08:00:00"), in: Self.zone).dayNumber)
    }

    @Test("run moves old posts only, leaves other files, replaces a stale archived copy, and is idempotent")
    func run() throws {
        let folder = TempFolder()
        defer { folder.remove() }
        let posts = folder.file("site/_posts"), archive = folder.file("site/old_post")
        for name in ["2021-12-25-old1.md", "2021-12-28-old2.md", "2021-12-29-keep1.md", "2022-01-01-keep2.md",
                     "about.md", ".2021-12-01-x.md.tmp-1-2"] {
            _ = folder.write("site/_posts/" + name, "post " + name)
        }
        _ = folder.write("site/old_post/2021-12-25-old1.md", "an earlier rendering")
        _ = folder.write("site/old_post/2021-11-01-older.md", "long archived")
        let archiver = JekyllArchive(posts: posts, archive: archive, keepDays: 3, timezone: Self.zone)
        let now = Self.beijing("2022-01-01 09:00:00")

        let first = archiver.run(now: now)
        #expect(first == JekyllArchive.Outcome(moved: ["2021-12-25-old1.md", "2021-12-28-old2.md"], errors: []))
        #expect(try FileManager.default.contentsOfDirectory(atPath: posts).sorted()
                == [".2021-12-01-x.md.tmp-1-2", "2021-12-29-keep1.md", "2022-01-01-keep2.md", "about.md"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: archive).sorted()
                == ["2021-11-01-older.md", "2021-12-25-old1.md", "2021-12-28-old2.md"])
        #expect(try String(contentsOfFile: archive + "/2021-12-25-old1.md", encoding: .utf8) == "post 2021-12-25-old1.md")
        #expect(try String(contentsOfFile: archive + "/2021-11-01-older.md", encoding: .utf8) == "long archived")

        #expect(archiver.run(now: now) == JekyllArchive.Outcome())
        // A day later the 12-29 post is 4 days old.
        #expect(archiver.run(now: now.addingTimeInterval(86_400)).moved == ["2021-12-29-keep1.md"])
    }

    @Test("no posts folder yet: nothing to do, no error")
    func noPosts() {
        let folder = TempFolder()
        defer { folder.remove() }
        let archiver = JekyllArchive(posts: folder.file("none"), archive: folder.file("old"), keepDays: 3, timezone: Self.zone)
        #expect(archiver.run(now: Date()) == JekyllArchive.Outcome())
        #expect(!FileManager.default.fileExists(atPath: folder.file("old")))
    }
}

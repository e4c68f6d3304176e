import FeedTestSupport
import Foundation
import Testing
@testable import FeedRender
#if canImport(Glibc)
import Glibc
#endif

@Suite("AtomicFile: leftover temp files")
struct AtomicFileLeftoversTests {
    @Test("temp files of writers that are gone are removed, anywhere under the folder; a live writer's and other files stay")
    func removesOnlyLeftovers() throws {
        let folder = TempFolder()
        defer { folder.remove() }
        let made = AtomicFile.tempPath(for: folder.file("all/rss.xml"))
        #expect(AtomicFile.tempFileWriter((made as NSString).lastPathComponent) == getpid())
        let dead = ["all/.rss.xml.tmp-99999999-1", "xinhua/.atom.xml.tmp-99999998-4294967295", "_posts/.2021-12-29-NW1.md.tmp-99999997-7"]
        let own = ".index.html.tmp-\(getpid())-3" // a previous process that had this pid
        let live = "all/.atom.xml.tmp-\(getppid())-9" // the parent is running: a write in progress
        let others = ["all/rss.xml", ".hidden", "all/.rss.xml.tmp-", "all/.rss.xml.tmp-1-x", "all/rss.xml.tmp-99999999-1", "..tmp-99999999-1"]
        for name in dead + [own, live] + others { _ = folder.write(name, "x") }

        let removed = try AtomicFile.removeLeftovers(in: folder.path)
        #expect(Set(removed) == Set((dead + [own]).map(folder.file)))
        for name in [live] + others { #expect(FileManager.default.fileExists(atPath: folder.file(name)), "\(name)") }
        #expect(try AtomicFile.removeLeftovers(in: folder.file("missing")) == [])
    }
}

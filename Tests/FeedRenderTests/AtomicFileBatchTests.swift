import FeedTestSupport
import Foundation
import Testing
@testable import FeedRender

@Suite("AtomicFile.Batch: many files made durable together")
struct AtomicFileBatchTests {
    /// The temp files `AtomicFile` makes, under `folder`.
    func temps(_ folder: TempFolder) -> [String] {
        let walk = FileManager.default.enumerator(atPath: folder.path)
        var out: [String] = []
        while let name = walk?.nextObject() as? String {
            if AtomicFile.tempFileWriter((name as NSString).lastPathComponent) != nil { out.append(name) }
        }
        return out
    }

    @Test("files appear only at commit, whole; an unchanged file is not rewritten; no temp file is left")
    func commitPutsFilesInPlace() throws {
        let folder = TempFolder()
        defer { folder.remove() }
        _ = folder.write("a/rss.xml", "old")
        var batch = AtomicFile.Batch(limit: 3)
        #expect(try batch.write(Array("new".utf8), to: folder.file("a/rss.xml")))
        #expect(try batch.write(Array("b".utf8), to: folder.file("b/atom.xml"))) // its folder is made
        // Staged, not yet in place: the reader sees the old bytes, and no new file.
        #expect(try String(contentsOfFile: folder.file("a/rss.xml"), encoding: .utf8) == "old")
        #expect(!FileManager.default.fileExists(atPath: folder.file("b/atom.xml")))
        #expect(temps(folder).count == 2)
        #expect(batch.commit().isEmpty)
        #expect(try String(contentsOfFile: folder.file("a/rss.xml"), encoding: .utf8) == "new")
        #expect(try String(contentsOfFile: folder.file("b/atom.xml"), encoding: .utf8) == "b")
        #expect(temps(folder).isEmpty)
        // The same bytes again: nothing staged, nothing changes.
        #expect(try !batch.write(Array("new".utf8), to: folder.file("a/rss.xml")))
        #expect(temps(folder).isEmpty)
    }

    @Test("past its limit of open temp files a batch commits what it holds; more than the limit all land")
    func limitCommitsEarly() throws {
        let folder = TempFolder()
        defer { folder.remove() }
        var batch = AtomicFile.Batch(limit: 4)
        for n in 0..<10 { #expect(try batch.write(Array("\(n)".utf8), to: folder.file("f/\(n).xml"))) }
        #expect(temps(folder).count == 2) // 8 committed in two rounds of 4; two staged
        #expect(FileManager.default.fileExists(atPath: folder.file("f/7.xml")))
        #expect(batch.commit().isEmpty)
        for n in 0..<10 { #expect(try String(contentsOfFile: folder.file("f/\(n).xml"), encoding: .utf8) == "\(n)") }
    }

    @Test("a file that cannot be written is named in the error; the batch's other files land")
    func oneFailureDoesNotStopTheOthers() throws {
        let folder = TempFolder()
        defer { folder.remove() }
        var batch = AtomicFile.Batch()
        #expect(try batch.write(Array("ok".utf8), to: folder.file("ok.xml")))
        #expect { _ = try batch.write([1], to: "/proc/nope/rss.xml") } throws: { error in
            "\(error)".contains("/proc/nope/rss.xml")
        }
        #expect(batch.commit().isEmpty)
        #expect(FileManager.default.fileExists(atPath: folder.file("ok.xml")))
    }

    @Test("a batch dropped without a commit puts nothing in place and leaves no temp file")
    func droppedBatchLeavesNothing() throws {
        let folder = TempFolder()
        defer { folder.remove() }
        do {
            var batch = AtomicFile.Batch()
            #expect(try batch.write(Array("x".utf8), to: folder.file("x.xml")))
        }
        #expect(!FileManager.default.fileExists(atPath: folder.file("x.xml")))
        #expect(temps(folder).isEmpty)
    }
}

import FeedConfig
import FeedPipeline
import FeedTestSupport
import Foundation
import Logging

/// One test's world: the fixture APIs, a temp folder for the store and output.
struct PipelineHarness {
    let api: NewsAPIFixture
    let folder = TempFolder()

    init() throws { api = try NewsAPIFixture() }

    var output: String { folder.file("public") }

    func config(_ sources: [String] = ["market", "media", "rolling"], extra: String = "") throws -> Config {
        let yaml = api.config(storage: folder.file("data/feedd.sqlite"), output: output, sources: sources, extraSources: extra)
        return try ConfigLoader.parse(yaml: yaml, file: "test.yaml", baseDirectory: folder.path)
    }

    /// The market list as one record (NW202112292229990001, 中国证券报) dated `datetime`.
    func serveOneMarketRecord(datetime: String) {
        api.server.set("/webapi/market", .json("""
            {"record": [{"infoCode": "NW202112292229990001", "title": "央行开展1000亿元逆回购操作",
                         "datetime": "\(datetime)", "medianame": "中国证券报"}]}
            """))
    }

    func pipeline(_ config: Config, now: @escaping @Sendable () -> Date = { Date() }) async throws -> Pipeline {
        try await Self.quietPipeline(config, now: now)
    }

    /// A pipeline that logs nothing below critical.
    static func quietPipeline(_ config: Config, now: @escaping @Sendable () -> Date = { Date() }) async throws -> Pipeline {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try await Pipeline.open(config: config, logger: logger, now: now)
    }

    func feed(_ slug: String, _ kind: String) throws -> XMLDocumentBox {
        let bytes = [UInt8](FileManager.default.contents(atPath: "\(output)/\(slug)/\(kind).xml") ?? Data())
        return try XMLCheck.parse(bytes).get()
    }

    func bytes(_ slug: String, _ kind: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: "\(output)/\(slug)/\(kind).xml") ?? Data())
    }

    func tearDown() {
        api.server.stop()
        folder.remove()
    }
}

// swift-tools-version: 6.1
import PackageDescription

// One library target per stage of the data flow; a stage depends only on the
// stages before it and on FeedModel. The CLI (and later the daemon) compose them.
let package = Package(
    name: "feedd",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "feedd", targets: ["feedd"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
    ],
    targets: [
        // C libraries, found by pkg-config, with inline shims for what Swift cannot call.
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),

        .target(name: "FeedModel"),
        .target(name: "FeedConfig", dependencies: ["FeedModel", "Yams"]),
        .target(name: "FeedFetch", dependencies: ["CCurl", "FeedModel"]),
        .target(name: "FeedNormalize", dependencies: ["CLibXML2"]),
        .target(name: "FeedSources", dependencies: ["FeedModel", "FeedConfig", "FeedFetch", "CLibXML2"]),
        .target(name: "FeedStore", dependencies: ["FeedModel", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "FeedRender", dependencies: ["FeedModel", "CLibXML2"]),
        .target(name: "FeedPipeline", dependencies: [
            "FeedModel", "FeedConfig", "FeedFetch", "FeedSources", "FeedNormalize", "FeedStore", "FeedRender", "Yams",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "FeedDaemon", dependencies: [
            "FeedModel", "FeedConfig", "FeedFetch", "FeedStore", "FeedRender", "FeedPipeline",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "CompressNIO", package: "compress-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The feed benchmark (bench/feeds.sh builds it in release mode).
        .executableTarget(name: "feedd-bench-feeds", dependencies: ["FeedSources", "FeedConfig", "FeedFetch", "FeedNormalize"]),
        .executableTarget(name: "feedd", dependencies: [
            "FeedPipeline", "FeedConfig", "FeedDaemon", "FeedStore", "FeedNormalize",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Test support: the loopback fixture HTTP server and fixture payloads.
        .target(name: "FeedTestSupport", dependencies: ["CLibXML2"], path: "Tests/FeedTestSupport",
                resources: [.copy("Fixtures")]),
        .executableTarget(name: "feedd-bench-normalize", dependencies: ["FeedNormalize", "CLibXML2"]),
        .testTarget(name: "FeedModelTests", dependencies: ["FeedModel"]),
        .testTarget(name: "FeedNormalizeTests", dependencies: ["FeedNormalize", "CLibXML2"], resources: [.copy("Golden")]),
        .testTarget(name: "FeedConfigTests", dependencies: ["FeedConfig"]),
        .testTarget(name: "FeedFetchTests", dependencies: ["FeedFetch", "FeedTestSupport"]),
        .testTarget(name: "FeedStoreTests", dependencies: ["FeedStore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "FeedRenderTests", dependencies: ["FeedRender", "CLibXML2", "FeedTestSupport", "Yams"]),
        .testTarget(name: "FeedPipelineTests", dependencies: [
            "FeedPipeline", "FeedConfig", "FeedStore", "FeedTestSupport", "CLibXML2", "FeedNormalize", "FeedRender",
        ]),
        .testTarget(name: "FeedDaemonTests", dependencies: [
            "FeedDaemon", "FeedPipeline", "FeedConfig", "FeedFetch", "FeedStore", "FeedTestSupport",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "FeeddCLITests", dependencies: ["feedd", "FeedTestSupport", "FeedStore"]),
        .testTarget(name: "FeedSourcesTests", dependencies: ["FeedSources", "FeedConfig", "FeedFetch", "FeedModel", "FeedTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

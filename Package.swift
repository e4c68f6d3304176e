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
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // C libraries, found by pkg-config, with inline shims for what Swift cannot call.
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),

        .target(name: "FeedModel"),
        // The regex engine runs on every rendered item: optimized in debug builds too, so the
        // test suite's 50 KB hostile-title cases stay fast (the engine is linear either way).
        .target(name: "FeedRules", swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // Yams for the libyaml it vendors (CYaml): the config and Jekyll front matter are read from its events.
        .target(name: "FeedConfig", dependencies: ["FeedModel", "FeedRules", "Yams"]),
        .target(name: "FeedFetch", dependencies: ["CCurl", "FeedModel"]),
        .target(name: "FeedNormalize", dependencies: ["CLibXML2"]),
        .target(name: "FeedSources", dependencies: ["FeedModel", "FeedConfig", "FeedFetch", "FeedRules", "CLibXML2"]),
        .target(name: "FeedStories", dependencies: ["FeedModel"]),
        .target(name: "FeedStore", dependencies: ["FeedModel", "FeedStories", .product(name: "GRDB", package: "GRDB.swift"),
                                                 .product(name: "Logging", package: "swift-log")]),
        // The shared-database backend (issue 12): only what chooses or tests it links postgres-nio.
        .target(name: "FeedStorePostgres", dependencies: [
            "FeedModel", "FeedConfig", "FeedStore", .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "FeedRender", dependencies: ["FeedModel"]),
        .target(name: "FeedPipeline", dependencies: [
            "FeedModel", "FeedConfig", "FeedFetch", "FeedSources", "FeedNormalize", "FeedStore", "FeedStorePostgres", "FeedStories", "FeedRender", "FeedRules",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "FeedDaemon", dependencies: [
            "FeedModel", "FeedConfig", "FeedFetch", "FeedStore", "FeedStorePostgres", "FeedRender", "FeedPipeline",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "CompressNIO", package: "compress-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The feed benchmark (bench/feeds.sh builds it in release mode).
        .executableTarget(name: "feedd-bench-feeds", dependencies: ["FeedSources", "FeedConfig", "FeedFetch", "FeedNormalize"]),
        // The render benchmark (bench/render.sh builds it in release mode).
        .executableTarget(name: "feedd-bench-render", dependencies: ["FeedModel", "FeedRender"]),
        .executableTarget(name: "feedd", dependencies: [
            "FeedPipeline", "FeedConfig", "FeedDaemon", "FeedStore", "FeedStorePostgres", "FeedNormalize", "FeedSources", "FeedFetch", "FeedRender",
            "FeedModel",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Test support: the loopback fixture HTTP server and fixture payloads, the test PostgreSQL, a log capture.
        .target(name: "FeedTestSupport", dependencies: ["CLibXML2", .product(name: "Logging", package: "swift-log")],
                path: "Tests/FeedTestSupport",
                resources: [.copy("Fixtures")]),
        // The story detection benchmark (bench/stories.sh builds it in release mode).
        .executableTarget(name: "feedd-bench-stories", dependencies: [
            "FeedStories", "FeedStore", "FeedStorePostgres", "FeedConfig", "FeedModel", "FeedTestSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "feedd-bench-normalize", dependencies: ["FeedNormalize", "CLibXML2"]),
        // Output checks shared by the tests and the fuzz targets.
        .target(name: "FeedChecks", dependencies: ["FeedNormalize", "CLibXML2"], path: "Tests/FeedChecks"),
        // The cluster benchmark (bench/cluster.sh): lease schedulers on a throwaway PostgreSQL.
        .executableTarget(name: "feedd-bench-cluster", dependencies: [
            "FeedDaemon", "FeedStorePostgres", "FeedStore", "FeedConfig", "FeedModel", "FeedTestSupport",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The rules benchmark (bench/rules.sh builds it in release).
        .executableTarget(name: "feedd-bench-rules", dependencies: ["FeedRules"]),
        .testTarget(name: "FeedModelTests", dependencies: ["FeedModel"]),
        .testTarget(name: "FeedRulesTests", dependencies: ["FeedRules", "FeedTestSupport"]),
        .testTarget(name: "FeedStoriesTests", dependencies: ["FeedStories", "FeedModel", "FeedTestSupport"]),
        .testTarget(name: "FeedNormalizeTests", dependencies: ["FeedNormalize", "FeedChecks", "CLibXML2", "FeedTestSupport"],
                    resources: [.copy("Golden")]),
        .testTarget(name: "FeedConfigTests", dependencies: ["FeedConfig", "FeedRules"]),
        .testTarget(name: "FeedFetchTests", dependencies: ["FeedFetch", "FeedTestSupport"]),
        .testTarget(name: "FeedStoreTests", dependencies: [
            "FeedStore", "FeedStorePostgres", "FeedStories", "FeedConfig", "FeedPipeline", "FeedTestSupport",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        .testTarget(name: "FeedRenderTests", dependencies: ["FeedRender", "CLibXML2", "FeedTestSupport", "Yams"]),
        .testTarget(name: "FeedPipelineTests", dependencies: [
            "FeedPipeline", "FeedConfig", "FeedStore", "FeedStories", "FeedTestSupport", "CLibXML2", "FeedNormalize", "FeedRender", "FeedRules",
        ]),
        .testTarget(name: "FeedDaemonTests", dependencies: [
            "FeedDaemon", "FeedPipeline", "FeedConfig", "FeedFetch", "FeedStore", "FeedStorePostgres", "FeedTestSupport",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "FeeddCLITests", dependencies: [
            "feedd", "FeedTestSupport", "FeedStore", "FeedStorePostgres", "FeedConfig",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "FuzzRegressionTests", dependencies: ["FeedTestSupport"]),
        .testTarget(name: "FeedSourcesTests", dependencies: ["FeedSources", "FeedRules", "FeedConfig", "FeedFetch", "FeedModel", "FeedTestSupport"]),

        // libFuzzer targets (`make fuzz`, Fuzz/README.md): each checks what must hold of one parser.
        // Built for fuzzing with -sanitize=fuzzer,address -DFEEDD_FUZZ; the ordinary build replays files.
        .target(name: "FuzzDriver", path: "Fuzz/Driver"),
        .executableTarget(name: "fuzz-normalizer", dependencies: ["FeedNormalize", "FeedChecks", "FuzzDriver"],
                          path: "Fuzz/normalizer", exclude: ["corpus"]),
        .executableTarget(name: "fuzz-feed", dependencies: ["FeedSources", "FeedConfig", "FeedFetch", "FeedModel", "FeedChecks", "FuzzDriver"],
                          path: "Fuzz/feed", exclude: ["corpus"]),
        .executableTarget(name: "fuzz-json-list", dependencies: ["FeedSources", "FeedConfig", "FeedFetch", "FeedModel", "FuzzDriver"],
                          path: "Fuzz/json-list", exclude: ["corpus"]),
        .executableTarget(name: "fuzz-dates", dependencies: ["FeedSources", "FeedModel", "FuzzDriver"],
                          path: "Fuzz/dates", exclude: ["corpus"]),
        .executableTarget(name: "fuzz-charset", dependencies: ["FeedFetch", "FeedSources", "FuzzDriver"],
                          path: "Fuzz/charset", exclude: ["corpus"]),
        .executableTarget(name: "fuzz-config", dependencies: ["FeedConfig", "FuzzDriver"],
                          path: "Fuzz/config", exclude: ["corpus"]),
        .executableTarget(name: "fuzz-stories", dependencies: ["FeedStories", "FuzzDriver"],
                          path: "Fuzz/stories", exclude: ["corpus"]),
        .executableTarget(name: "fuzz-jekyll", dependencies: ["FeedPipeline", "FeedRender", "FeedModel", "FeedNormalize", "FuzzDriver"],
                          path: "Fuzz/jekyll", exclude: ["corpus"]),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "Hiroba",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hiroba", targets: ["hiroba"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(name: "HirobaCore"),
        .systemLibrary(name: "CMeCab", path: "Sources/CMeCab"),
        .target(name: "JapaneseText", dependencies: ["HirobaCore", "CMeCab"]),
        .target(
            name: "Search", dependencies: ["HirobaCore", "JapaneseText"],
            // The scorer's cursors are classes mutated in hot loops; dynamic exclusivity checks on their
            // stored properties cost ~10% of query time at 1M chunks and guard nothing shared across threads.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0"),
        .target(
            name: "Ingest",
            dependencies: [
                "HirobaCore", "JapaneseText", "CLibXML2",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        .target(name: "Proofreading", dependencies: ["HirobaCore", "JapaneseText", "Ingest"]),
        .target(name: "Privacy", dependencies: ["HirobaCore", "JapaneseText"]),
        .systemLibrary(name: "CLinearAlgebra", path: "Sources/CLinearAlgebra"),
        .target(
            name: "Listening",
            dependencies: [
                "HirobaCore", "JapaneseText", "Search", "Ingest", "Privacy", "CLinearAlgebra",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .target(
            name: "LLM",
            dependencies: [
                "HirobaCore", "JapaneseText", "Proofreading", "Privacy", "Listening",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "Storage",
            dependencies: [
                "HirobaCore", "JapaneseText", "Search", "Ingest",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]
        ),
        .target(
            name: "WebApp",
            dependencies: [
                "HirobaCore", "JapaneseText", "Search", "Ingest", "Storage", "Proofreading", "LLM", "Listening", "Privacy",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
        ),
        .target(
            name: "HirobaCLI",
            dependencies: [
                "HirobaCore", "JapaneseText", "Search", "Ingest", "Storage", "WebApp", "Proofreading", "LLM", "Privacy", "Listening",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // jemalloc (Debian's libjemalloc-dev) replaces glibc's malloc in the binary: the server allocates many small
        // objects on several threads, and under search load it took ~7 % less CPU a request (ARCHITECTURE.md).
        .executableTarget(
            name: "hiroba", dependencies: ["HirobaCLI"],
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]),
        .target(
            name: "TestSupport",
            dependencies: [
                "HirobaCore", "JapaneseText", "Storage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "JapaneseTextTests", dependencies: ["JapaneseText", "TestSupport"]),
        .testTarget(name: "SearchTests", dependencies: ["Search", "JapaneseText", "TestSupport"]),
        .testTarget(
            name: "IngestTests", dependencies: ["Ingest", "TestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "ProofreadingTests",
            dependencies: ["Proofreading", "Ingest", "TestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(
            name: "LLMTests",
            dependencies: [
                "LLM", "Privacy", "Listening", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            exclude: ["Fixtures"]),
        .testTarget(name: "PrivacyTests", dependencies: ["Privacy", "TestSupport"]),
        .testTarget(name: "ListeningTests", dependencies: ["Listening", "TestSupport"]),
        .testTarget(
            name: "StorageTests",
            dependencies: ["Storage", "Search", "TestSupport", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(
            name: "WebAppTests",
            dependencies: [
                "WebApp", "Storage", "TestSupport", "LLM", "Listening", "Ingest",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(
            name: "HirobaCLITests",
            dependencies: ["HirobaCLI", "Storage", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ]
)

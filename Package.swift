// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "baton",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "baton", targets: ["baton"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        // libpq, the PostgreSQL C client library.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        // Connections, pool, parameterised queries, transactions: PostgreSQL through libpq.
        .target(
            name: "Postgres",
            dependencies: [
                "CLibPQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // A private PostgreSQL cluster driven by initdb and pg_ctl (`baton dev`, the tests).
        .target(
            name: "EmbeddedPostgres",
            swiftSettings: strict
        ),
        // The pure domain: workflow definitions, the state machine, deadlines, the working calendar.
        .target(
            name: "BatonCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // Reading a plan's file for the drafter: Word (.docx, a zip of XML), PDF (pdftotext, run by
        // EmbeddedPostgres's Subprocess), text.
        .target(
            name: "PlanFiles",
            dependencies: ["BatonCore", "EmbeddedPostgres", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strict
        ),
        // SQL against Baton's schema: migrations, agencies, users, plans, tasks, events, board.
        .target(
            name: "BatonStore",
            dependencies: [
                "BatonCore", "Postgres",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Long-running work besides serving HTTP: the timer sweep and webhook deliveries.
        .target(
            name: "BatonWorkers",
            dependencies: [
                "BatonCore", "BatonStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The REST service.
        .target(
            name: "BatonHTTP",
            dependencies: [
                "BatonCore", "BatonStore", "Postgres", "PlanFiles",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("openapi.yaml")],
            swiftSettings: strict
        ),
        // The one executable: server and admin CLI.
        .executableTarget(
            name: "baton",
            dependencies: [
                "BatonCore", "BatonStore", "BatonHTTP", "BatonWorkers", "Postgres", "EmbeddedPostgres", "PlanFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // Shared test support: a throwaway cluster per run, a fresh database per test.
        .target(
            name: "BatonTestSupport",
            dependencies: ["Postgres", "EmbeddedPostgres", "BatonStore", "BatonCore"],
            path: "Tests/BatonTestSupport",
            swiftSettings: strict
        ),
        .testTarget(name: "BatonCoreTests", dependencies: ["BatonCore"], swiftSettings: strict),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "BatonTestSupport"], swiftSettings: strict),
        .testTarget(name: "BatonStoreTests", dependencies: ["BatonStore", "BatonCore", "BatonTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "BatonWorkersTests",
            dependencies: [
                "BatonWorkers", "BatonStore", "BatonCore", "BatonTestSupport", "Postgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BatonHTTPTests",
            dependencies: [
                "BatonHTTP", "BatonStore", "BatonCore", "BatonTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BatonCLITests",
            dependencies: ["BatonTestSupport", "Postgres", "EmbeddedPostgres", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strict
        ),
    ]
)

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
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        // libpq, the PostgreSQL C client library.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        // The leaf both PostgreSQL's codecs and the domain stand on: civil dates, RFC 3339, digits, UUID text.
        .target(
            name: "CivilTime",
            swiftSettings: strict
        ),
        // Connections, pool, parameterised queries, transactions: PostgreSQL through libpq.
        .target(
            name: "Postgres",
            dependencies: [
                "CLibPQ", "CivilTime",
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
            dependencies: ["CivilTime", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // Reading a plan's file for the drafter: Word (.docx, a zip of XML), PDF (pdftotext, run by
        // EmbeddedPostgres's Subprocess), text.
        .target(
            name: "PlanFiles",
            dependencies: ["BatonCore", "EmbeddedPostgres", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strict
        ),
        // SQL against Baton's schema: migrations, agencies, users, sessions, plans, tasks, events, board.
        // The only door to PostgreSQL: its errors leave as `BatonError`.
        .target(
            name: "BatonStore",
            dependencies: [
                "BatonCore", "Postgres",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
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
        // The pages people use: sign-in, the officer's tasks, the committee's queue, the board, statistics,
        // administration; rendered on the server from Mustache templates with labels from one catalogue per language.
        .target(
            name: "BatonWeb",
            dependencies: [
                "BatonCore", "BatonStore", "PlanFiles",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Templates"), .copy("Assets"), .copy("Catalogues")],
            swiftSettings: strict
        ),
        // The REST service.
        .target(
            name: "BatonHTTP",
            dependencies: [
                "BatonCore", "BatonStore", "BatonWeb", "PlanFiles",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
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
                "BatonCore", "BatonStore", "BatonHTTP", "BatonWorkers", "EmbeddedPostgres", "PlanFiles",
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
        .testTarget(name: "BatonStoreTests", dependencies: ["BatonStore", "BatonCore", "BatonTestSupport", "Postgres"], swiftSettings: strict),
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
            name: "BatonWebTests",
            dependencies: [
                "BatonWeb", "BatonHTTP", "BatonStore", "BatonCore", "BatonTestSupport",
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

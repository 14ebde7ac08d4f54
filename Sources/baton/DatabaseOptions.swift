import ArgumentParser
import BatonStore
import EmbeddedPostgres
import Foundation
import Logging

/// `--database-url`, else `DATABASE_URL`, else libpq's `PG*` variables (when `PGHOST` or
/// `PGDATABASE` is set), else the private cluster of `baton dev` in `./.baton` (started if needed).
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "PostgreSQL connection URI or libpq connection string.")
    var databaseURL: String?

    @Option(name: .long, help: ArgumentHelp("Connections in the pool.", valueName: "N"))
    var poolSize: Int?

    enum Source {
        case url(String)
        case privateCluster(LocalCluster)
    }

    func source() throws -> Source {
        let env = ProcessInfo.processInfo.environment
        if let url = databaseURL, !url.isEmpty { return .url(url) }
        if let url = env["DATABASE_URL"], !url.isEmpty { return .url(url) }
        if env["PGHOST"]?.isEmpty == false || env["PGDATABASE"]?.isEmpty == false { return .url("") }
        return .privateCluster(try LocalCluster(directory: ".baton"))
    }

    /// The key that seals webhook secrets (`SecretKey.load`): the environment's, else, for the private
    /// cluster, `secret.key` in its directory (created when `create`).
    func secretKey(create: Bool) throws -> SecretKey? {
        var defaultFile: String?
        if case .privateCluster(let cluster) = try source() { defaultFile = cluster.directory + "/secret.key" }
        return try SecretKey.load(defaultFile: defaultFile, create: create)
    }

    /// Runs `body` with a pool on the chosen database (`--pool-size`, else `defaultPoolSize`
    /// connections). A private cluster this call had to start is migrated and loaded with the
    /// workflows (unless `setUp` is false: `baton migrate` does that itself), and stopped afterwards.
    /// A one-shot command's store logs errors only (its failure is the one line on stderr) unless
    /// `LOG_LEVEL` says otherwise; `baton serve` passes its server log and the standby it reads lists on (`readURL`).
    func withStore<T>(defaultPoolSize: Int = 2, setUp: Bool = true, readURL: String? = nil, logger: Logger? = nil,
                      _ body: (BatonStore) async throws -> T) async throws -> T {
        let logger = logger ?? {
            var quiet = Logger(label: "baton")
            quiet.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
            return quiet
        }()
        let url: String
        var started: LocalCluster?
        switch try source() {
        case .url(let given):
            url = given
        case .privateCluster(let cluster):
            if try cluster.start() {
                started = cluster
                try cluster.watch()
            }
            do { url = try await PrivateDatabase.prepare(cluster) } catch { try? started?.stop(); throw error }
        }
        let store = BatonStore(url: url, readURL: readURL, poolSize: poolSize ?? defaultPoolSize, logger: logger)
        do {
            if started != nil, setUp { try await PrivateDatabase.setUp(store) }
            let value = try await body(store)
            await store.shutdown()
            try started?.stop()
            return value
        } catch {
            await store.shutdown()
            try? started?.stop()
            throw error
        }
    }
}

/// The database `baton` inside a private cluster.
enum PrivateDatabase {
    /// Creates the `baton` database if it is missing; returns its URI.
    static func prepare(_ cluster: LocalCluster) async throws -> String {
        try await BatonStore.createDatabase("baton", serverURL: cluster.connectionURI(database: "postgres"))
        return cluster.connectionURI()
    }

    /// Migrations and workflow definitions, as `baton dev` does on start.
    static func setUp(_ store: BatonStore) async throws {
        let files = try ProjectFiles.locate()
        try await Migrator(directory: files.sqlDirectory).migrate(store)
        _ = try await store.loadDefinitions(directory: files.workflowsDirectory)
    }
}

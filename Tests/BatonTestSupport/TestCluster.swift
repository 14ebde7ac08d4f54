import BatonCore
import BatonStore
import EmbeddedPostgres
import Foundation
import Postgres

/// One throwaway PostgreSQL cluster per test run, started on first use, stopped when the process
/// ends (also if it is killed: a watchdog stops the postmaster and removes the directory).
/// Each test gets its own database cloned from a migrated template with the workflows loaded.
public enum TestCluster {
    /// The repository root (the directory holding Package.swift).
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.path + "/Package.swift") { return url.path }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    public static var projectFiles: ProjectFiles { ProjectFiles(root: repositoryRoot) }

    private static let started = Task<LocalCluster, any Error> {
        let dir = NSTemporaryDirectory() + "baton-test-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        // Every suite runs at once: each test's pool, and each CLI process's, connect together (300 ran out).
        let cluster = try LocalCluster(directory: dir, settings: [
            "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off", "max_connections": "1000",
            "shared_buffers": "'64MB'",
        ])
        try cluster.start(fast: true)
        try cluster.watch(owner: getpid(), removeDirectoryAfter: true)
        stopAtExit(cluster)
        let admin = PostgresConfiguration(connectionString: cluster.connectionURI(database: "postgres"))
        let conn = try PostgresConnection(admin)
        try conn.execute("CREATE DATABASE baton_template")
        conn.close()
        let store = BatonStore(pool: PostgresPool(configuration: admin.database("baton_template"), size: 1))
        try await Migrator(directory: projectFiles.sqlDirectory).migrate(store)
        _ = try await store.loadDefinitions(directory: projectFiles.workflowsDirectory)
        await store.shutdown()
        try await BatonStore.letAppRoleSignIn(serverURL: cluster.connectionURI(database: "postgres"))
        return cluster
    }

    nonisolated(unsafe) private static var clusterToStop: LocalCluster?

    private static func stopAtExit(_ cluster: LocalCluster) {
        clusterToStop = cluster
        atexit {
            if let c = TestCluster.clusterToStop {
                try? c.stop()
                try? FileManager.default.removeItem(atPath: c.directory)
            }
        }
    }

    /// The running cluster.
    public static func cluster() async throws -> LocalCluster { try await started.value }

    /// A new, migrated database with the workflows and calendars loaded, reached as `role` (the
    /// owner, a superuser, unless given).
    public static func freshDatabase(role: String? = nil) async throws -> PostgresConfiguration {
        let (owner, app) = try await freshDatabaseRoles()
        return role == BatonStore.appRole ? app : owner
    }

    /// A new database as `freshDatabase`, reached both as its owner and as the server's role.
    public static func freshDatabaseRoles() async throws -> (owner: PostgresConfiguration, app: PostgresConfiguration) {
        let cluster = try await started.value
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = PostgresConfiguration(connectionString: cluster.connectionURI(database: "postgres"))
        let conn = try PostgresConnection(admin)
        defer { conn.close() }
        // The name is generated here, never user data: safe to write into the statement.
        try conn.execute("CREATE DATABASE \(name) TEMPLATE baton_template")
        return (PostgresConfiguration(connectionString: cluster.connectionURI(database: name)),
                PostgresConfiguration(connectionString: cluster.connectionURI(database: name, role: BatonStore.appRole)))
    }

    /// Runs `body` with a store on a fresh database, connected as the server is (`BatonStore.appRole`),
    /// then closes its connections.
    public static func withStore<T: Sendable>(poolSize: Int = 4, _ body: (BatonStore) async throws -> T) async throws -> T {
        let pool = PostgresPool(configuration: try await freshDatabase(role: BatonStore.appRole), size: poolSize)
        let store = BatonStore(pool: pool)
        do {
            let value = try await body(store)
            await store.shutdown()
            return value
        } catch {
            await store.shutdown()
            throw error
        }
    }
}

import EmbeddedPostgres
import Postgres

/// Creating empty databases on the test cluster.
public enum PostgresAdmin {
    /// An empty database (not cloned from the template): for migration tests.
    public static func create(database name: String, cluster: LocalCluster) throws {
        precondition(name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }, "a generated name")
        let conn = try PostgresConnection(PostgresConfiguration(connectionString: cluster.connectionURI(database: "postgres")))
        defer { conn.close() }
        try conn.execute("CREATE DATABASE \(name)")
    }
}

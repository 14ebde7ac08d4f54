import BatonStore
import BatonTestSupport
import Foundation
import Postgres
import Testing

@Suite struct MigratorTests {
    /// A migration may run longer than a request's statement: the connection's statement timeout does not
    /// apply to it (a backfill over ten million tasks hit the 30 s limit and left the database unmigrated).
    @Test func aMigrationRunsPastTheStatementTimeout() async throws {
        var owner = try await TestCluster.freshDatabase()
        owner.statementTimeoutMilliseconds = 200
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-migrations-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "SELECT pg_sleep(0.6);\nCREATE TABLE slow_backfill_done (x integer);\n"
            .write(toFile: directory + "/0001_slow_backfill.sql", atomically: true, encoding: .utf8)
        let store = BatonStore(pool: PostgresPool(configuration: owner, size: 1))
        do {
            try await store.pool.withConnection { conn in
                try conn.execute("DROP TABLE schema_migrations")
                #expect(throws: PostgresError.self, "the connection's own limit holds for anything else") {
                    try conn.execute("SELECT pg_sleep(0.6)")
                }
            }
            #expect(try await Migrator(directory: directory).migrate(store) == ["0001_slow_backfill.sql"])
            let done = try await store.pool.withConnection { try $0.query("SELECT to_regclass('slow_backfill_done') IS NOT NULL AS ok")[0].decode(Bool.self, "ok") }
            #expect(done)
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
    }
}

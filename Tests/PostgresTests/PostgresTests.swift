import BatonTestSupport
import Foundation
import Postgres
import Synchronization
import Testing

@Suite struct PostgresPoolTests {
    @Test func bindsRoundTripEveryType() async throws {
        let pool = PostgresPool(configuration: try await TestCluster.freshDatabase(), size: 2)
        defer { Task { await pool.shutdown() } }
        let id = UUID()
        let at = Date(timeIntervalSince1970: 1_731_603_600.123456)
        let text = "Công an huyện Châu Thành A 🚸 '); DROP TABLE x; --"
        let row = try await pool.withConnection { conn in
            try conn.query("""
                SELECT \(text)::text AS t, \(42)::int AS i, \(Int64.max)::bigint AS b, \(true)::bool AS yes,
                       \(2.5)::float8 AS d, \(id)::uuid AS u, \(at)::timestamptz AS at, \(nil as String?)::text AS nothing,
                       \(["a", "b\\\"c", "Đ"])::text[] AS arr, ARRAY[1, 2, 3]::bigint[] AS ints
                """)[0]
        }
        #expect(try row.decode(String.self, "t") == text)
        #expect(try row.decode(Int.self, "i") == 42)
        #expect(try row.decode(Int64.self, "b") == Int64.max)
        #expect(try row.decode(Bool.self, "yes"))
        #expect(try row.decode(Double.self, "d") == 2.5)
        #expect(try row.decode(UUID.self, "u") == id)
        #expect(abs(try row.decode(Date.self, "at").timeIntervalSince(at)) < 0.000_001)
        #expect(try row.decode(String?.self, "nothing") == nil)
        #expect(try row.decode(String.self, "arr") == #"{a,"b\\\"c",Đ}"#)
        #expect(try row.decode([Int64].self, "ints") == [1, 2, 3])
        #expect(throws: PostgresError.self) { try row.decode(Int.self, "t") }
        #expect(throws: PostgresError.self) { try row.decode(String.self, "nothing") }
    }

    @Test func sqlStateBecomesACode() async throws {
        let pool = PostgresPool(configuration: try await TestCluster.freshDatabase(), size: 1)
        defer { Task { await pool.shutdown() } }
        try await pool.withConnection { try $0.execute("CREATE TABLE t (k text PRIMARY KEY, n int CHECK (n > 0))") }
        try await pool.withConnection { try $0.query("INSERT INTO t VALUES (\("a"), \(1))") }
        await #expect { try await pool.withConnection { try $0.query("INSERT INTO t VALUES (\("a"), \(1))") } }
            throws: { ($0 as? PostgresError)?.code == .uniqueViolation && ($0 as? PostgresError)?.constraint == "t_pkey" }
        await #expect { try await pool.withConnection { try $0.query("INSERT INTO t VALUES (\("b"), \(0))") } }
            throws: { ($0 as? PostgresError)?.code == .checkViolation }
        await #expect { try await pool.withConnection { try $0.query("SELECT \("x")::int") } }
            throws: { ($0 as? PostgresError)?.code == .invalidInput }
        // The description a user sees never carries the SQL or the values.
        let e = await #expect(throws: PostgresError.self) { try await pool.withConnection { try $0.query("SELECT \("secret-value")::int") } }
        #expect(e.map { !$0.description.contains("secret-value") && $0.debugDescription.contains("secret-value") } == true)
    }

    @Test func transactionRollsBackAndKeepsTheBodysError() async throws {
        struct Boom: Error {}
        let pool = PostgresPool(configuration: try await TestCluster.freshDatabase(), size: 1)
        defer { Task { await pool.shutdown() } }
        try await pool.withConnection { try $0.execute("CREATE TABLE t (n int)") }
        await #expect(throws: Boom.self) {
            try await pool.transaction { conn in
                try conn.query("INSERT INTO t VALUES (1)")
                throw Boom()
            }
        }
        let count = try await pool.withConnection { try $0.query("SELECT count(*) AS c FROM t")[0].decode(Int.self, "c") }
        #expect(count == 0)
        // The connection is clean again: not left inside a transaction.
        #expect(try await pool.withConnection { $0.inTransaction } == false)
    }

    @Test func serializationFailuresAreRetried() async throws {
        let pool = PostgresPool(configuration: try await TestCluster.freshDatabase(), size: 4)
        defer { Task { await pool.shutdown() } }
        try await pool.withConnection { try $0.execute("CREATE TABLE counter (n int); INSERT INTO counter VALUES (0)") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await pool.transaction { conn in
                        try conn.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")
                        let n = try conn.query("SELECT n FROM counter")[0].decode(Int.self, "n")
                        try conn.query("UPDATE counter SET n = \(n + 1)")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await pool.withConnection { try $0.query("SELECT n FROM counter")[0].decode(Int.self, "n") } == 8)
    }

    @Test func aBrokenConnectionIsReplacedUnnoticed() async throws {
        let configuration = try await TestCluster.freshDatabase()
        let pool = PostgresPool(configuration: configuration, size: 1)
        defer { Task { await pool.shutdown() } }
        let pid = try await pool.withConnection { try $0.query("SELECT pg_backend_pid() AS p")[0].decode(Int.self, "p") }
        let other = try PostgresConnection(configuration)
        try other.query("SELECT pg_terminate_backend(\(pid))")
        other.close()
        try await Task.sleep(for: .milliseconds(100))
        let again = try await pool.withConnection { try $0.query("SELECT pg_backend_pid() AS p")[0].decode(Int.self, "p") }
        #expect(again != pid)
    }

    @Test func aBrokenConnectionIsNotRetriedOnceSomethingCommitted() async throws {
        let configuration = try await TestCluster.freshDatabase()
        let pool = PostgresPool(configuration: configuration, size: 1)
        defer { Task { await pool.shutdown() } }
        try await pool.withConnection { try $0.execute("CREATE TABLE t (n int)") }
        let runs = Mutex(0)
        // The INSERT commits on its own; then the connection breaks: running the body again would insert twice.
        await #expect(throws: PostgresError.self) {
            try await pool.withConnection { conn in
                runs.withLock { $0 += 1 }
                try conn.query("INSERT INTO t VALUES (1)")
                let pid = try conn.query("SELECT pg_backend_pid() AS p")[0].decode(Int.self, "p")
                let other = try PostgresConnection(configuration)
                defer { other.close() }
                try other.query("SELECT pg_terminate_backend(\(pid))")
                usleep(100_000)
                try conn.query("SELECT 1 AS one")
            }
        }
        #expect(runs.withLock { $0 } == 1)
        #expect(try await pool.withConnection { try $0.query("SELECT count(*) AS c FROM t")[0].decode(Int.self, "c") } == 1)
    }

    @Test func statementTimeoutCancels() async throws {
        var configuration = try await TestCluster.freshDatabase()
        configuration.statementTimeoutMilliseconds = 100
        let pool = PostgresPool(configuration: configuration, size: 1)
        defer { Task { await pool.shutdown() } }
        await #expect { try await pool.withConnection { try $0.query("SELECT pg_sleep(2)") } }
            throws: { ($0 as? PostgresError)?.code == .queryCanceled }
        #expect(try await pool.withConnection { try $0.query("SELECT 1 AS one").count } == 1)
    }

    @Test func applicationNameIsBaton() async throws {
        let pool = PostgresPool(configuration: try await TestCluster.freshDatabase(), size: 1)
        defer { Task { await pool.shutdown() } }
        let name = try await pool.withConnection { try $0.query("SELECT current_setting('application_name') AS a")[0].decode(String.self, "a") }
        #expect(name == "baton")
    }

    @Test func interpolationRenumbersFragments() {
        let inner: PostgresQuery = "a = \(1) AND b = \(2)"
        let outer: PostgresQuery = "SELECT \("x") WHERE \(fragment: inner) OR c = \(3)"
        #expect(outer.sql == "SELECT $1 WHERE a = $2 AND b = $3 OR c = $4")
        #expect(outer.binds == ["x", "1", "2", "3"])
        #expect((inner + inner).sql == "a = $1 AND b = $2a = $3 AND b = $4")
    }
}

@Suite struct PostgresPipelineTests {
    @Test func manyStatementsInFlight() async throws {
        let configuration = try await TestCluster.freshDatabase()
        let pipeline = PostgresPipeline(configuration: configuration, size: 3)
        let results = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for i in 0..<500 {
                group.addTask { (i, try await pipeline.query("SELECT \(i)::int * 2 AS d")[0].decode(Int.self, "d")) }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == 500 && results.allSatisfy { $0.value == $0.key * 2 })
        await pipeline.shutdown()
    }

    @Test func anErrorStaysWithItsStatement() async throws {
        let pipeline = PostgresPipeline(configuration: try await TestCluster.freshDatabase(), size: 1)
        _ = try await pipeline.query("CREATE TABLE t (k int PRIMARY KEY)")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<50 {
                group.addTask {
                    if i % 10 == 0 {
                        await #expect { try await pipeline.query("SELECT \("nope")::int") } throws: { ($0 as? PostgresError)?.code == .invalidInput }
                    } else {
                        _ = try await pipeline.query("INSERT INTO t VALUES (\(i))")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await pipeline.query("SELECT count(*) AS c FROM t")[0].decode(Int.self, "c") == 45)
        // A statement that fails to prepare is prepared again next time it is used.
        await #expect(throws: PostgresError.self) { try await pipeline.query("SELECT * FROM missing") }
        _ = try await pipeline.query("CREATE TABLE missing (x int)")
        #expect(try await pipeline.query("SELECT * FROM missing").count == 0)
        await pipeline.shutdown()
    }

    @Test func aBrokenConnectionFailsItsStatementsAndReopens() async throws {
        let configuration = try await TestCluster.freshDatabase()
        let pipeline = PostgresPipeline(configuration: configuration, size: 1)
        let pid = try await pipeline.query("SELECT pg_backend_pid() AS p")[0].decode(Int.self, "p")
        let other = try PostgresConnection(configuration)
        try other.query("SELECT pg_terminate_backend(\(pid))")
        other.close()
        try await Task.sleep(for: .milliseconds(100))
        var recovered = false
        for _ in 0..<3 where !recovered {
            recovered = (try? await pipeline.query("SELECT pg_backend_pid() AS p")[0].decode(Int.self, "p")).map { $0 != pid } ?? false
        }
        #expect(recovered)
        await pipeline.shutdown()
        await #expect(throws: PostgresError.self) { try await pipeline.query("SELECT 1") }
    }

    @Test func aConnectionThatCannotReopenDoesNotHoldUpTheOthers() async throws {
        let configuration = try await TestCluster.freshDatabase()
        let pipeline = PostgresPipeline(configuration: configuration, size: 2)
        let database = try await pipeline.query("SELECT current_database() AS d")[0].decode(String.self, "d")
        let admin = try PostgresConnection(configuration.database("postgres"))
        defer {
            _ = try? admin.execute("ALTER DATABASE \(database) ALLOW_CONNECTIONS true")  // a generated name, not user data
            admin.close()
        }
        // No new connection may open; one of the two lanes loses its connection.
        try admin.execute("ALTER DATABASE \(database) ALLOW_CONNECTIONS false")
        let pids = try admin.query("SELECT pid FROM pg_stat_activity WHERE datname = \(database) ORDER BY pid").map { try $0.decode(Int.self, "pid") }
        #expect(pids.count == 2)
        try admin.query("SELECT pg_terminate_backend(\(pids[0]))")
        try await Task.sleep(for: .milliseconds(100))
        // Every statement gets an answer (from the lane that lives, or an error from the one that
        // cannot reopen) instead of waiting behind its reconnection attempts.
        let answered = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 { group.addTask { (try? await pipeline.query("SELECT 1 AS one")) != nil } }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(answered.count == 20 && answered.contains(true))
        try admin.execute("ALTER DATABASE \(database) ALLOW_CONNECTIONS true")
        await pipeline.shutdown()
    }
}

@Suite struct ServerGoneTests {
    /// An administrator's termination (SQLSTATE 57P01, or the socket simply closing) is a broken
    /// connection, which the store answers as 503 and the pool replaces, never a 500.
    @Test func aTerminatedBackendIsABrokenConnection() async throws {
        let config = try await TestCluster.freshDatabase()
        let victim = try PostgresConnection(config)
        let admin = try PostgresConnection(config)
        defer { victim.close(); admin.close() }
        let pid = try victim.query("SELECT pg_backend_pid() AS pid")[0].decode(Int.self, "pid")
        _ = try admin.query("SELECT pg_terminate_backend(\(pid))")
        do {
            _ = try victim.query("SELECT 1 AS one")
            Issue.record("a terminated backend answered")
        } catch let e as PostgresError {
            #expect(e.code == .connectionBroken, "\(e.code)")
        }
    }
}

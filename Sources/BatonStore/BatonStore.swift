import BatonCore
import Foundation
import Logging
import Postgres
import Synchronization

/// Baton's data: every read and every change, as SQL against the schema in `sql/`.
///
/// Each public method is one unit of work on one pooled connection (a transaction for changes),
/// run on the pool's threads. The domain decisions come from `BatonCore`; this type only loads
/// what they need and stores what they decide.
public final class BatonStore: Sendable {
    /// The door to PostgreSQL: units of work (transactions, multi-statement reads) on the pool.
    package let pool: Database
    /// The same door, for single statements on the hot paths (authentication, reading a task, a
    /// transition's write), pipelined on a few connections by one I/O thread.
    var statements: Database { pool }
    /// Reads that may lag a moment behind the last commit — the board, statistics and lists — on a
    /// streaming standby when `readURL` was given, else on the primary's pool.
    let reads: Database
    let logger: Logger
    /// Workflow versions never change once stored: cached by id for good.
    let definitions = Mutex<[Int64: WorkflowDefinition]>([:])
    /// Calendars may be reloaded; cached briefly.
    let calendars = Mutex<[String: (calendar: WorkingCalendar, loadedAt: ContinuousClock.Instant)]>([:])
    private let authChangesHere = Atomic<Int>(0)

    /// A store on the database at `url` (a PostgreSQL URI or libpq connection string; empty for
    /// libpq's `PG*` variables) with `poolSize` connections for units of work and as many pipelined;
    /// with `readURL`, the board, statistics and lists are read there (a streaming standby) on as many more.
    public convenience init(url: String, readURL: String? = nil, poolSize: Int = BatonStore.defaultPoolSize,
                            logger: Logger = Logger(label: "baton.store")) {
        self.init(pool: PostgresPool(configuration: PostgresConfiguration(connectionString: url), size: poolSize, logger: logger),
                  readPool: readURL.map { PostgresPool(configuration: PostgresConfiguration(connectionString: $0), size: poolSize, logger: logger) },
                  logger: logger)
    }

    /// A store on an existing pool (the tests' fresh databases), reading lists from `readPool` when given.
    package init(pool: PostgresPool, readPool: PostgresPool? = nil, logger: Logger = Logger(label: "baton.store")) {
        let primary = Database(pool: pool, pipeline: PostgresPipeline(configuration: pool.configuration, size: pool.size, logger: logger))
        self.pool = primary
        // The standby's pipeline is never used (its statements are the hot paths' writes and checks) and opens nothing.
        self.reads = readPool.map { Database(pool: $0, pipeline: PostgresPipeline(configuration: $0.configuration, size: 1, logger: logger)) } ?? primary
        self.logger = logger
    }

    /// Whether the board, statistics and lists are read on a standby of their own.
    public var readsOnStandby: Bool { reads.pool !== pool.pool }

    /// Four connections per core: enough to keep PostgreSQL busy while some wait on the network.
    public static var defaultPoolSize: Int { PostgresPool.defaultSize }

    /// Closes every connection.
    public func shutdown() async {
        if readsOnStandby { await reads.shutdown() }
        await pool.shutdown()
    }

    /// The database's clock: the one clock deadlines are judged by.
    public func now() async throws -> Date {
        try await pool.withConnection { try $0.query("SELECT baton_now() AS now")[0].decode(Date.self, "now") }
    }

    /// How many changes to authentication (revoked tokens, renamed or merged agencies) this process
    /// has committed: whatever was read about a token before it moved may be stale, at once.
    /// Other processes' changes arrive through `authChanges()`.
    public var authGeneration: Int { authChangesHere.load(ordering: .acquiring) }

    /// Runs `body`, a committed change to authentication, and moves `authGeneration` after it.
    func changingAuth<T>(_ body: () async throws -> T) async rethrows -> T {
        let value = try await body()
        authChangesHere.add(1, ordering: .releasing)
        return value
    }

    /// Whether the database answers (and the standby the lists are read on, when there is one).
    public func ping() async -> Bool {
        for db in readsOnStandby ? [pool, reads] : [pool] {
            guard (try? await db.withConnection { try $0.query("SELECT 1 AS one").count }) == 1 else { return false }
        }
        return true
    }
}

/// Maps database integrity errors to the API's problems; everything else passes through.
@discardableResult
func mapped<T>(_ body: () throws -> T, conflict: String? = nil) throws -> T {
    do {
        return try body()
    } catch let e as PostgresError where e.code == .uniqueViolation && conflict != nil {
        // A conflict this call can name better than the generic one `Database` would tell.
        throw BatonError(.conflict, conflict!)
    }
}

extension BatonStore {
    /// Fixes the clock at an instant, shifts it by a PostgreSQL interval, or (both nil) makes it real again.
    public func setClock(fixedAt: Date?, offset: String?) async throws {
        try await pool.withConnection { conn in
            do {
                try conn.query("UPDATE clock SET fixed_at = \(fixedAt), offset_by = coalesce(\(offset)::interval, interval '0')")
            } catch let e as PostgresError where e.code == .invalidInput {
                throw BatonError.invalid("offset", "'\(offset ?? "")' is not an interval such as '3 days'")
            }
        }
    }
}

extension BatonStore {
    /// Creates the database `name` on the server at `serverURL` unless it exists (`baton dev`'s private cluster).
    public static func createDatabase(_ name: String, serverURL: String) async throws {
        precondition(name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }, "a database name of Baton's own")
        let admin = PostgresPool(configuration: PostgresConfiguration(connectionString: serverURL), size: 1)
        do {
            try await Database.translating {
                try await admin.withConnection { conn in
                    if try conn.query("SELECT 1 AS one FROM pg_database WHERE datname = \(name)").isEmpty {
                        // The name is checked above and never user text: safe to write into the statement.
                        try conn.execute("CREATE DATABASE \(name)")
                    }
                }
            }
        } catch {
            await admin.shutdown()
            throw error
        }
        await admin.shutdown()
    }

    /// The role `baton serve` connects as (a member of it, in production): it may add to the
    /// history but not change it (`sql/0010_app_role.sql`). The role that migrates owns the tables.
    public static let appRole = "baton_app"

    /// Lets `appRole` itself sign in, on a private cluster whose only door is its own socket
    /// (`baton dev`, the tests); in production an administrator makes login roles members of it.
    public static func letAppRoleSignIn(serverURL: String) async throws {
        let admin = PostgresPool(configuration: PostgresConfiguration(connectionString: serverURL), size: 1)
        do {
            try await Database.translating {
                try await admin.withConnection { conn in try conn.execute("ALTER ROLE baton_app LOGIN") }
            }
        } catch {
            await admin.shutdown()
            throw error
        }
        await admin.shutdown()
    }

    /// Whether this store's role can rewrite the history (the owner's or a superuser's connection):
    /// `baton serve` warns when it runs so.
    public func mayRewriteHistory() async throws -> Bool {
        try await pool.withConnection { conn in
            try conn.query("""
                SELECT has_table_privilege('task_events', 'UPDATE') OR has_table_privilege('task_events', 'DELETE')
                    OR has_table_privilege('task_events', 'TRUNCATE') AS may
                """)[0].decode(Bool.self, "may")
        }
    }
}

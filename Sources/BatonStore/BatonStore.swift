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
    /// Units of work: transactions and multi-statement reads, each on one connection.
    public let pool: PostgresPool
    /// Single statements on the hot paths (authentication, reading a task, a transition's write),
    /// pipelined on a few connections by one I/O thread.
    public let statements: PostgresPipeline
    let logger: Logger
    /// Workflow versions never change once stored: cached by id for good.
    let definitions = Mutex<[Int64: WorkflowDefinition]>([:])
    /// Calendars may be reloaded; cached briefly.
    let calendars = Mutex<[String: (calendar: WorkingCalendar, loadedAt: ContinuousClock.Instant)]>([:])

    public init(pool: PostgresPool, pipeline: PostgresPipeline? = nil, logger: Logger = Logger(label: "baton.store")) {
        self.pool = pool
        self.statements = pipeline ?? PostgresPipeline(configuration: pool.configuration, size: pool.size, logger: logger)
        self.logger = logger
    }

    /// Closes every connection.
    public func shutdown() async {
        await statements.shutdown()
        await pool.shutdown()
    }

    /// The database's clock: the one clock deadlines are judged by.
    public func now() async throws -> Date {
        try await pool.withConnection { try $0.query("SELECT baton_now() AS now")[0].decode(Date.self, "now") }
    }

    /// Whether the database answers.
    public func ping() async -> Bool {
        (try? await pool.withConnection { try $0.query("SELECT 1 AS one").count }) == 1
    }
}

/// Maps database integrity errors to the API's problems; everything else passes through.
@discardableResult
func mapped<T>(_ body: () throws -> T, conflict: String? = nil) throws -> T {
    do {
        return try body()
    } catch let e as PostgresError where e.code == .uniqueViolation && conflict != nil {
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

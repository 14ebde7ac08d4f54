import BatonCore
import Postgres

/// The store's one door to PostgreSQL: units of work on the pool, single statements on the
/// pipeline, notifications; every PostgreSQL error leaves through it as a `BatonError`.
package struct Database: Sendable {
    /// Units of work: transactions and multi-statement reads, each on one connection.
    let pool: PostgresPool
    /// Single statements on the hot paths (authentication, reading a task, a transition's write),
    /// pipelined on a few connections by one I/O thread.
    let pipeline: PostgresPipeline

    /// Runs `body` with a connection of the pool.
    @discardableResult
    package func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await Self.translating { try await pool.withConnection(body) }
    }

    /// Runs `body` in one transaction.
    @discardableResult
    package func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await Self.translating { try await pool.transaction(body) }
    }

    /// Runs one statement (its own transaction) on the pipeline.
    func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await Self.translating { try await pipeline.query(query) }
    }

    /// Closes every connection.
    func shutdown() async {
        await pipeline.shutdown()
        await pool.shutdown()
    }

    /// `body`, with a PostgreSQL error told as a `BatonError`: the one place that translation happens.
    static func translating<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let e as PostgresError {
            throw BatonError(e)
        }
    }
}

extension BatonError {
    /// A PostgreSQL error as the API tells it; the server's message stays in `cause` for the log.
    init(_ e: PostgresError) {
        switch e.code {
        case .uniqueViolation: self = .failure(.conflict, "this already exists", cause: e.debugDescription)
        case .connectionFailed, .connectionBroken: self = .unavailable("the database is not reachable", cause: e.message)
        // Still conflicting after the transaction's own retries: a later try can succeed.
        case .serializationFailure, .deadlock: self = .unavailable("the database is busy with conflicting changes", cause: e.message)
        case .queryCanceled: self = .failure(.internalError, "the database took too long to answer", cause: e.debugDescription)
        default: self = .failure(.internalError, "the request could not be completed", cause: e.debugDescription)
        }
    }
}

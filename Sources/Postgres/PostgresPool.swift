import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A fixed set of connections, each used by one blocking closure at a time on a dedicated thread.
///
/// The pool owns as many threads as connections, so a closure never waits for a connection once
/// it runs, and no libpq call ever blocks an event loop or the Swift concurrency pool.
/// A closure is one unit of work (a transaction, or a read): everything in it runs on one
/// connection without hopping threads between statements.
public final class PostgresPool: Sendable {
    /// Where the connections go.
    public let configuration: PostgresConfiguration
    /// How many connections (and threads) at most.
    public let size: Int
    private let threads: NIOThreadPool
    private let idle: Mutex<[PostgresConnection]>
    private let logger: Logger

    /// Starts the threads; connections open lazily on first use.
    public init(configuration: PostgresConfiguration, size: Int = PostgresPool.defaultSize, logger: Logger = Logger(label: "baton.postgres")) {
        self.configuration = configuration
        self.size = max(1, size)
        self.threads = NIOThreadPool(numberOfThreads: self.size)
        self.idle = Mutex([])
        self.logger = logger
        threads.start()
    }

    /// Four connections per core: enough to keep PostgreSQL busy while some wait on the network.
    public static var defaultSize: Int { max(4, System.coreCount * 4) }

    /// Runs `body` with a connection on one of the pool's threads.
    ///
    /// When the connection turns out to be broken before anything was committed, the pool replaces
    /// it and runs `body` once more, so callers do not notice a restarted server.
    @discardableResult
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await threads.runIfActive { try self.run(body) }
    }

    /// Runs `body` in one transaction (see `PostgresConnection.transaction`).
    @discardableResult
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await withConnection { try $0.transaction(body) }
    }

    /// Closes every connection and stops the threads.
    public func shutdown() async {
        try? await threads.shutdownGracefully()
        let connections = idle.withLock { list in
            defer { list.removeAll() }
            return list
        }
        for c in connections { c.close() }
    }

    private func run<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        var retried = false
        while true {
            let connection = try checkout()
            connection.mayHaveCommitted = false
            do {
                let value = try body(connection)
                checkin(connection)
                return value
            } catch {
                if connection.isBroken {
                    connection.close()
                    if !retried && !connection.mayHaveCommitted {
                        retried = true
                        logger.warning("replacing a broken database connection and retrying", metadata: ["error": "\(error)"])
                        continue
                    }
                    throw error
                }
                if connection.inTransaction {
                    // A body that threw with a transaction still open; never hand that on.
                    do { try connection.execute("ROLLBACK") } catch { connection.close() }
                }
                checkin(connection)
                throw error
            }
        }
    }

    private func checkout() throws -> PostgresConnection {
        if let connection = idle.withLock({ $0.popLast() }) { return connection }
        return try PostgresConnection(configuration)
    }

    private func checkin(_ connection: PostgresConnection) {
        guard !connection.isBroken else { return }
        idle.withLock { $0.append(connection) }
    }
}

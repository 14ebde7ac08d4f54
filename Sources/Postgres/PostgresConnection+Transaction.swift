import Foundation

extension PostgresConnection {
    /// Runs `body` between BEGIN and COMMIT.
    ///
    /// On error the transaction rolls back and the body's error is thrown — also when ROLLBACK
    /// itself fails (the connection is then closed so the pool replaces it). A serialization
    /// failure or deadlock runs the whole body again, up to `retries` more times.
    public func transaction<T>(retries: Int = 4, _ body: (PostgresConnection) throws -> T) throws -> T {
        var attempt = 0
        let committedBefore = mayHaveCommitted
        while true {
            try execute("BEGIN")
            do {
                let value = try body(self)
                try execute("COMMIT")
                return value
            } catch {
                if inTransaction {
                    do { try execute("ROLLBACK") } catch { close() }
                }
                if let pg = error as? PostgresError, pg.isRetryable, attempt < retries, !isBroken {
                    attempt += 1
                    mayHaveCommitted = committedBefore  // the failed attempt rolled back
                    // Jittered backoff so the contenders do not collide again at once.
                    usleep(UInt32.random(in: 1_000...(5_000 * UInt32(attempt))))
                    continue
                }
                throw error
            }
        }
    }
}

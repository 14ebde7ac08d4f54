/// How to reach a PostgreSQL server.
public struct PostgresConfiguration: Sendable, Hashable {
    /// A libpq connection string or `postgresql://` URI; empty means libpq's `PG*` variables.
    public var connectionString: String
    /// Sent as `application_name`.
    public var applicationName: String
    /// Applied to every statement; a runaway query is cancelled after this many milliseconds.
    public var statementTimeoutMilliseconds: Int
    /// Seconds libpq waits for a connection.
    public var connectTimeoutSeconds: Int

    public init(connectionString: String, applicationName: String = "baton",
                statementTimeoutMilliseconds: Int = 30_000, connectTimeoutSeconds: Int = 10) {
        self.connectionString = connectionString
        self.applicationName = applicationName
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
        self.connectTimeoutSeconds = connectTimeoutSeconds
    }

    /// The same server, another database (`dbname` overrides what the connection string says).
    public func database(_ name: String) -> PostgresConfiguration {
        var copy = self
        copy.overrideDatabase = name
        return copy
    }

    var overrideDatabase: String?
}

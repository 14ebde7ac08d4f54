import CLibPQ

/// An error from PostgreSQL or from talking to it.
///
/// `description` is safe to show to a user: it never contains SQL or bound values.
/// The full detail (server message, detail, constraint) goes to logs through `debugDescription`.
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure this is; cases can grow without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case connectionFailed, connectionBroken, uniqueViolation, foreignKeyViolation,
                 checkViolation, notNullViolation, serializationFailure, deadlock, queryCanceled,
                 invalidInput, server, client
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The server could not be reached or refused the connection.
        public static let connectionFailed = Code(.connectionFailed)
        /// The connection broke while in use.
        public static let connectionBroken = Code(.connectionBroken)
        /// SQLSTATE 23505.
        public static let uniqueViolation = Code(.uniqueViolation)
        /// SQLSTATE 23503.
        public static let foreignKeyViolation = Code(.foreignKeyViolation)
        /// SQLSTATE 23514.
        public static let checkViolation = Code(.checkViolation)
        /// SQLSTATE 23502.
        public static let notNullViolation = Code(.notNullViolation)
        /// SQLSTATE 40001: retry the transaction.
        public static let serializationFailure = Code(.serializationFailure)
        /// SQLSTATE 40P01: retry the transaction.
        public static let deadlock = Code(.deadlock)
        /// SQLSTATE 57014: statement_timeout or a cancel request.
        public static let queryCanceled = Code(.queryCanceled)
        /// SQLSTATE class 22: a value the server could not accept.
        public static let invalidInput = Code(.invalidInput)
        /// Any other error the server reported.
        public static let server = Code(.server)
        /// A client-side problem: a value that could not be decoded, a misuse of the API.
        public static let client = Code(.client)

        public var description: String { base.rawValue }

        static func from(sqlState: String?) -> Code {
            switch sqlState {
            case "23505": .uniqueViolation
            case "23503": .foreignKeyViolation
            case "23514": .checkViolation
            case "23502": .notNullViolation
            case "40001": .serializationFailure
            case "40P01": .deadlock
            case "57014": .queryCanceled
            case let s? where s.hasPrefix("22"): .invalidInput
            case let s? where s.hasPrefix("08"): .connectionBroken
            // The server is going away or not taking connections (shutdown, crash, start-up, too many
            // clients), or this is a standby after a failover: the connection is of no more use.
            case "57P01", "57P02", "57P03", "53300", "25006": .connectionBroken
            default: .server
            }
        }
    }

    public let code: Code
    /// The five-character SQLSTATE, when the server sent one.
    public let sqlState: String?
    /// The server's primary message, or the client's.
    public let message: String
    /// The server's detail line, if any.
    public let detail: String?
    /// The violated constraint, for integrity errors.
    public let constraint: String?

    public init(code: Code, sqlState: String? = nil, message: String, detail: String? = nil, constraint: String? = nil) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.constraint = constraint
    }

    /// True when running the same transaction again may succeed.
    public var isRetryable: Bool { code == .serializationFailure || code == .deadlock }

    public var description: String {
        switch code {
        case .connectionFailed: "cannot connect to PostgreSQL"
        case .connectionBroken: "the connection to PostgreSQL broke"
        case .queryCanceled: "the database took too long to answer"
        case .client: message
        default: "database error (SQLSTATE \(sqlState ?? "?"))"
        }
    }

    public var debugDescription: String {
        var s = "PostgresError(\(code), sqlState: \(sqlState ?? "nil"), message: \(message)"
        if let detail { s += ", detail: \(detail)" }
        if let constraint { s += ", constraint: \(constraint)" }
        return s + ")"
    }

    static func from(result: OpaquePointer?, connection: OpaquePointer?) -> PostgresError {
        func field(_ code: UInt8) -> String? {
            guard let result, let p = PQresultErrorField(result, Int32(code)) else { return nil }
            return String(cString: p)
        }
        let state = field(UInt8(ascii: "C"))
        var message = field(UInt8(ascii: "M"))
        if message == nil, let connection, let p = PQerrorMessage(connection) {
            message = String(cString: p).trimmingTrailingNewlines()
        }
        var code = Code.from(sqlState: state)
        // The server sends every error of its own with a SQLSTATE. One without is libpq's: the connection
        // failed ("server closed the connection unexpectedly", even while its status still reads OK), or
        // a misuse of the client, which stays an error of ours.
        if state == nil {
            let lost = ["server closed the connection", "terminating connection", "no connection to the server",
                        "could not receive data", "could not send data", "connection to server"]
            if (connection.map { PQstatus($0) != CONNECTION_OK } ?? false) || lost.contains(where: { (message ?? "").contains($0) }) {
                code = .connectionBroken
            }
        }
        return PostgresError(code: code, sqlState: state, message: message ?? "unknown error",
                             detail: field(UInt8(ascii: "D")), constraint: field(UInt8(ascii: "n")))
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let last = s.last, last == "\n" || last == "\r" || last == " " { s = s.dropLast() }
        return String(s)
    }
}

import BatonCore
import Foundation
import HummingbirdBcrypt
import Postgres
import Synchronization

/// How long sign-in sessions last and how failed sign-ins are bounded.
public struct SessionPolicy: Sendable, Hashable {
    /// A session ends after this many seconds without a request.
    public var idleSeconds = 30 * 60
    /// And in any case this many seconds after sign-in.
    public var absoluteSeconds = 12 * 3600
    /// Failed sign-ins are counted over this many seconds.
    public var failureWindowSeconds = 15 * 60
    /// Failures of one login within the window before it is refused until the window moves on.
    public var failuresPerLogin = 5
    /// Failures from one client address within the window before it is refused.
    public var failuresPerAddress = 20
    /// bcrypt's cost for new passwords.
    public var bcryptCost: UInt8 = 10
    public init() {}
}

/// A signed-in person: who, and the token every form of the session must carry.
public struct Session: Sendable, Hashable {
    public let principal: Principal
    public let csrf: String
}

/// What a sign-in attempt came to.
public enum SignInOutcome: Sendable, Hashable {
    /// Signed in: `token` goes in the cookie, and is stored only as its hash.
    case signedIn(token: String, session: Session)
    /// Wrong login or password (never which); `failures` so far in the window, to slow the answer.
    case refused(failures: Int)
    /// Too many failures for this login or address: try again after this many seconds.
    case throttled(retryAfter: Int)
}

extension BatonStore {
    /// The rule for a password: 8 to 200 characters, not all blank.
    public static func checkPassword(_ password: String) throws {
        guard password.count >= 8 else { throw BatonError.invalid("password", "must have at least 8 characters") }
        guard password.count <= 200 else { throw BatonError.invalid("password", "must have at most 200 characters") }
        guard !password.allSatisfy(\.isWhitespace) else { throw BatonError.invalid("password", "must not be blank") }
    }

    /// Sets `login`'s password (bcrypt) and ends its open sessions.
    public func setPassword(login: String, password: String, policy: SessionPolicy = SessionPolicy()) async throws {
        try Self.checkPassword(password)
        try await pool.transaction { conn in
            // bcrypt is slow by design: it runs here, on the pool's thread, never on an event loop.
            let hash = Bcrypt.hash(password, cost: policy.bcryptCost)
            guard let row = try conn.query("""
                UPDATE users SET password_hash = \(hash), password_set_at = baton_now() WHERE lower(login) = lower(\(login)) RETURNING id
                """).single else {
                throw BatonError.notFound("user \(login)")
            }
            try conn.query("UPDATE sessions SET ended_at = baton_now() WHERE user_id = \(try row.decode(Int64.self, "id")) AND ended_at IS NULL")
        }
    }

    /// Checks a login and password from `address`; on success opens a session.
    ///
    /// Wrong logins and wrong passwords are told apart to no one: both are `.refused`, and both
    /// take one bcrypt check. Past `policy`'s bounds per login or per address, `.throttled`.
    public func signIn(login: String, password: String, address: String, policy: SessionPolicy = SessionPolicy()) async throws -> SignInOutcome {
        try await pool.transaction { conn in
            // One attempt per login at a time: concurrent guesses each counting the failures before any
            // of them is recorded would all pass the bound.
            try conn.query("SELECT pg_advisory_xact_lock(hashtext('signin:' || lower(\(login))))")
            let window = "\(policy.failureWindowSeconds) seconds"
            let counts = try conn.query("""
                SELECT (SELECT count(*) FROM signin_failures WHERE lower(login) = lower(\(login)) AND at > baton_now() - \(window)::interval) AS by_login,
                       (SELECT count(*) FROM signin_failures WHERE address = \(address) AND at > baton_now() - \(window)::interval) AS by_address,
                       (SELECT ceil(extract(epoch FROM min(at) + \(window)::interval - baton_now()))::int FROM signin_failures
                        WHERE (lower(login) = lower(\(login)) OR address = \(address)) AND at > baton_now() - \(window)::interval) AS wait
                """)[0]
            let byLogin = try counts.decode(Int.self, "by_login"), byAddress = try counts.decode(Int.self, "by_address")
            if byLogin >= policy.failuresPerLogin || byAddress >= policy.failuresPerAddress {
                return .throttled(retryAfter: max(1, try counts.decode(Int?.self, "wait") ?? policy.failureWindowSeconds))
            }
            let user = try conn.query("""
                SELECT u.id, u.password_hash FROM users u WHERE lower(u.login) = lower(\(login)) AND u.active
                """).single
            let hash = try user?.decode(String?.self, "password_hash")
            // An unknown login costs the same bcrypt check as a wrong password.
            let valid = Bcrypt.verify(password, hash: hash ?? Self.decoyHash(cost: policy.bcryptCost)) && hash != nil
            guard valid, let user else {
                try conn.query("INSERT INTO signin_failures (login, address, at) VALUES (\(String(login.prefix(64))), \(address), baton_now())")
                return .refused(failures: byLogin + 1)
            }
            let userID = try user.decode(Int64.self, "id")
            try conn.query("DELETE FROM signin_failures WHERE lower(login) = lower(\(login))")
            let token = Self.newToken(), csrf = Self.newToken()
            try conn.query("""
                INSERT INTO sessions (hash, user_id, csrf, created_at, seen_at, idle_limit, ends_at)
                VALUES (sha256(convert_to(\(token), 'UTF8')), \(userID), \(csrf), baton_now(), baton_now(),
                        \("\(policy.idleSeconds) seconds")::interval, baton_now() + \("\(policy.absoluteSeconds) seconds")::interval)
                """)
            guard let principal = try Self.principal(conn, userID: userID) else { throw BatonError.notFound("user \(login)") }
            return .signedIn(token: token, session: Session(principal: principal, csrf: csrf))
        }
    }

    /// The live session a cookie names, kept alive by this use; nil when unknown, ended, idle too long or past its end.
    public func session(token: String) async throws -> Session? {
        guard token.count == Self.tokenLength, token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        guard let row = try await statements.query("""
            WITH s AS (
                SELECT id, user_id, csrf, seen_at FROM sessions
                WHERE hash = sha256(convert_to(\(token), 'UTF8')) AND ended_at IS NULL
                  AND seen_at + idle_limit > baton_now() AND ends_at > baton_now()
            ), touched AS (
                -- Kept alive at most once a minute: not a write for every page a person opens.
                UPDATE sessions SET seen_at = baton_now() FROM s
                WHERE sessions.id = s.id AND s.seen_at < baton_now() - interval '1 minute'
            )
            SELECT s.csrf, \(fragment: Self.principalColumns)
            FROM s JOIN users u ON u.id = s.user_id LEFT JOIN agencies a ON a.id = u.agency_id
            WHERE u.active
            """).single else { return nil }
        return Session(principal: try Self.principal(row), csrf: try row.decode(String.self, "csrf"))
    }

    /// Ends the session a cookie names (sign-out); unknown tokens are ignored.
    public func endSession(token: String) async throws {
        try await statements.query("UPDATE sessions SET ended_at = baton_now() WHERE hash = sha256(convert_to(\(token), 'UTF8')) AND ended_at IS NULL")
    }

    /// The columns `principal(_:)` reads, over `users u LEFT JOIN agencies a`.
    static let principalColumns: PostgresQuery = """
        u.id, u.login, array_to_string(u.roles, ',') AS roles, a.id AS agency_id, a.code AS agency, a.name AS agency_name
        """

    /// A principal from a row of `principalColumns`.
    static func principal(_ row: PostgresRow) throws -> Principal {
        Principal(
            userID: try row.decode(Int64.self, "id"), login: try row.decode(String.self, "login"),
            agencyID: try row.decode(Int64?.self, "agency_id"), agency: try row.decode(String?.self, "agency"),
            agencyName: try row.decode(String?.self, "agency_name"),
            roles: Set(try row.decode(String.self, "roles").split(separator: ",").compactMap { Actor.UserRole(rawValue: String($0)) }))
    }

    static func principal(_ conn: PostgresConnection, userID: Int64) throws -> Principal? {
        try conn.query("""
            SELECT \(fragment: principalColumns) FROM users u LEFT JOIN agencies a ON a.id = u.agency_id WHERE u.id = \(userID) AND u.active
            """).single.map(principal)
    }

    /// A valid bcrypt hash of nothing anyone knows, checked when the login is unknown.
    /// A valid bcrypt hash of nothing anyone knows, at the cost real hashes have (so an unknown login
    /// takes as long as a wrong password), made once per cost.
    private static func decoyHash(cost: UInt8) -> String {
        decoys.withLock { all in
            if let h = all[cost] { return h }
            let h = Bcrypt.hash(newToken(), cost: cost)
            all[cost] = h
            return h
        }
    }
    private static let decoys = Mutex<[UInt8: String]>([:])
}

extension BatonStore {
    /// A random token for a form (CSRF) before a session exists.
    public static func newFormToken() -> String { newToken() }
}

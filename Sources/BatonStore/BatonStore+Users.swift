import BatonCore
import Foundation
import Postgres

/// A user as the API and CLI show it.
public struct UserRecord: Sendable, Hashable, JSONWritable {
    public let login: String
    public let agency: String?
    public let agencyName: String?
    public let roles: [String]

    public init(login: String, agency: String?, agencyName: String?, roles: [String]) {
        self.login = login
        self.agency = agency
        self.agencyName = agencyName
        self.roles = roles
    }

    public func write(to w: inout JSONWriter) {
        w.openObject()
        w.field("login", login)
        w.field("agency", agency)
        w.field("agency_name", agencyName)
        w.field("roles", roles)
        w.closeObject()
    }
}

extension BatonStore {
    /// Creates a user at an agency with roles. An admin may have no agency.
    public func addUser(login: String, agency: String?, roles: [String]) async throws -> UserRecord {
        guard login.wholeMatch(of: /[A-Za-z0-9][A-Za-z0-9._@-]{0,63}/) != nil else {
            throw BatonError.invalid("login", "'\(login.prefix(70))' is not a login (letters, digits, . _ @ -; up to 64)")
        }
        let roles = try Self.roles(roles, withAgency: agency != nil)
        return try await pool.transaction { conn in
            var agencyID: Int64?
            var agencyName: String?
            if let agency {
                let found = try Self.agencies(conn, codes: [agency], .active) { _ in "agency" }[0]
                agencyID = found.id
                agencyName = found.name
            }
            try mapped({
                try conn.query("INSERT INTO users (login, agency_id, roles) VALUES (\(login), \(agencyID), \(roles))")
            }, conflict: "a user with the login \(login) already exists")
            return UserRecord(login: login, agency: agency, agencyName: agencyName, roles: roles)
        }
    }

    /// The rule for a user's roles: known names, at least one, and an agency for any but `admin`.
    static func roles(_ given: [String], withAgency: Bool) throws -> [String] {
        var set: [String] = []
        for r in given {
            let role = r.trimmingCharacters(in: .whitespaces).lowercased()
            guard Actor.UserRole(rawValue: role) != nil else {
                throw BatonError.invalid("role", "unknown role '\(r)'; roles are \(Actor.UserRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !set.contains(role) { set.append(role) }
        }
        guard !set.isEmpty else { throw BatonError.invalid("role", "at least one role is required") }
        guard withAgency || set == ["admin"] else {
            throw BatonError.invalid("agency", "a user with the roles \(set.joined(separator: ",")) needs an agency")
        }
        return set
    }

    /// Gives `login` these roles instead of its own (its sessions and cached tokens see them at once).
    public func setRoles(login: String, roles given: [String]) async throws -> UserRecord {
        try await changingAuth { try await pool.transaction { conn in
            guard let user = try conn.query("""
                SELECT u.id, u.login, a.code, a.name FROM users u LEFT JOIN agencies a ON a.id = u.agency_id
                WHERE lower(u.login) = lower(\(login)) AND u.active
                """).single else { throw BatonError.notFound("user \(login)") }
            let agency = try user.decode(String?.self, "code")
            let roles = try Self.roles(given, withAgency: agency != nil)
            try conn.query("UPDATE users SET roles = \(roles) WHERE id = \(try user.decode(Int64.self, "id"))")
            try conn.query("SELECT pg_notify('baton_auth', 'roles')")
            return UserRecord(login: try user.decode(String.self, "login"), agency: agency, agencyName: try user.decode(String?.self, "name"), roles: roles)
        } }
    }

    /// Issues a new bearer token for `login`; the token is returned once and stored only as a hash.
    /// - Parameter expiresIn: seconds until the token stops working; nil for a token that lasts until revoked.
    public func issueToken(login: String, label: String? = nil, expiresIn: Int? = nil) async throws -> String {
        let token = Self.newToken()
        try await pool.transaction { conn in
            guard let user = try conn.query("SELECT id, active FROM users WHERE lower(login) = lower(\(login))").single else {
                throw BatonError.notFound("user \(login)")
            }
            guard try user.decode(Bool.self, "active") else { throw BatonError.invalid("login", "user \(login) is not active") }
            try conn.query("""
                INSERT INTO tokens (user_id, prefix, hash, label, expires_at)
                VALUES (\(try user.decode(Int64.self, "id")), \(String(token.prefix(Self.storedPrefix))), sha256(convert_to(\(token), 'UTF8')), \(label),
                        baton_now() + make_interval(secs => \(expiresIn.map(Double.init))::float8))
                """)
        }
        return token
    }

    /// Revokes the one live token that starts with `prefix` (at least 8 characters).
    /// - Returns: the login whose token was revoked.
    public func revokeToken(prefix: String) async throws -> String {
        guard prefix.count >= 8 else { throw BatonError.invalid("prefix", "give at least 8 characters of the token") }
        guard prefix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw BatonError.notFound("a token starting with \(prefix.prefix(12))")
        }
        return try await changingAuth { try await pool.transaction { conn in
            let rows: PostgresRows
            if prefix.count >= Self.tokenLength {
                rows = try conn.query("""
                    SELECT t.id, u.login FROM tokens t JOIN users u ON u.id = t.user_id
                    WHERE t.hash = sha256(convert_to(\(prefix), 'UTF8')) AND t.revoked_at IS NULL
                    """)
            } else {
                // Past the stored characters a prefix cannot be checked further; 16 characters (95 bits)
                // already name one token.
                rows = try conn.query("""
                    SELECT t.id, u.login FROM tokens t JOIN users u ON u.id = t.user_id
                    WHERE t.prefix LIKE \(String(prefix.prefix(Self.storedPrefix)) + "%") AND t.revoked_at IS NULL
                    LIMIT 2
                    """)
            }
            guard let row = rows.single else { throw BatonError.notFound("a live token starting with \(prefix.prefix(12))") }
            guard rows.count == 1 else {
                throw BatonError(.conflict, "more than one token starts with \(prefix); give more characters")
            }
            try conn.query("UPDATE tokens SET revoked_at = baton_now() WHERE id = \(try row.decode(Int64.self, "id"))")
            try conn.query("SELECT pg_notify('baton_auth', 'revoke')")
            return try row.decode(String.self, "login")
        } }
    }

    /// The user a bearer token belongs to, or nil when it is unknown or revoked.
    public func authenticate(token: String) async throws -> Principal? {
        guard token.count == Self.tokenLength, token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        do {
            guard let row = try await statements.query("""
                SELECT \(fragment: Self.principalColumns)
                FROM tokens t JOIN users u ON u.id = t.user_id LEFT JOIN agencies a ON a.id = u.agency_id
                WHERE t.hash = sha256(convert_to(\(token), 'UTF8')) AND t.revoked_at IS NULL AND u.active
                  AND (t.expires_at IS NULL OR t.expires_at > baton_now())
                """).single else { return nil }
            return try Self.principal(row)
        }
    }

    static let tokenLength = 40
    /// The first characters of a token, kept in clear so an admin can name it by a prefix (the first
    /// 16 of a longer prefix are compared; the whole token is matched by its hash); the other 24
    /// (about 143 bits) stay secret.
    static let storedPrefix = 16

    /// 40 characters of base62 from the system's CSPRNG: about 238 bits.
    static func newToken() -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var rng = SystemRandomNumberGenerator()
        return String((0..<tokenLength).map { _ in alphabet[Int(rng.next(upperBound: UInt64(alphabet.count)))] })
    }
}

extension BatonStore {
    /// Revokes every live token of `login` carrying `label` (`baton dev` renews its own at each start).
    public func revokeTokens(login: String, label: String) async throws {
        try await changingAuth { try await pool.withConnection { conn in
            try conn.query("""
                UPDATE tokens SET revoked_at = baton_now()
                WHERE label = \(label) AND revoked_at IS NULL AND user_id IN (SELECT id FROM users WHERE lower(login) = lower(\(login)))
                """)
            try conn.query("SELECT pg_notify('baton_auth', 'revoke')")
        } }
    }
}

extension BatonStore {
    /// Every change that affects authentication (revoked tokens, renamed or merged agencies,
    /// users), in this process or any other: see `AuthChanges`.
    public func authChanges() -> AuthChanges {
        AuthChanges(pool.pool.notifications(channel: "baton_auth"))
    }
}

extension BatonStore {
    /// Users by login, with whether each has a password (for the administration page).
    public func users(page: Page) async throws -> Paged<UserRecord> {
        let after = try page.after { $0 }
        return try await pool.withConnection { conn in
            let items = try conn.query("""
                SELECT u.login, a.code, a.name, array_to_string(u.roles, ',') AS roles
                FROM users u LEFT JOIN agencies a ON a.id = u.agency_id
                WHERE u.active AND (\(after)::text IS NULL OR lower(u.login) > lower(\(after)))
                ORDER BY lower(u.login) LIMIT \(page.limit + 1)
                """).map { r in
                UserRecord(login: try r.decode(String.self, "login"), agency: try r.decode(String?.self, "code"),
                           agencyName: try r.decode(String?.self, "name"), roles: try r.decode(String.self, "roles").split(separator: ",").map(String.init))
            }
            return Paged(fetched: items, limit: page.limit) { $0.login }
        }
    }
}

import BatonCore
import Foundation
import Postgres

extension BatonStore {
    /// Every active agency as the plan drafter's register: code, name, kind, parent and aliases.
    public func agencyRegister() async throws -> AgencyRegister {
        try await pool.withConnection { conn in
            let rows = try conn.query("""
                SELECT a.code, a.name, a.kind, p.code AS parent, array_to_string(a.aliases, E'\\n') AS aliases
                FROM agencies a LEFT JOIN agencies p ON p.id = a.parent_id
                WHERE a.active
                ORDER BY a.code
                """)
            return AgencyRegister(try rows.map { row in
                AgencyRegister.Entry(code: try row.decode(String.self, "code"), name: try row.decode(String.self, "name"),
                                     kind: try row.decode(String.self, "kind"), parent: try row.decode(String?.self, "parent"),
                                     aliases: try row.decode(String.self, "aliases").split(separator: "\n").map(String.init))
            })
        }
    }

    /// The other names of an agency.
    public func agencyAliases(code: String) async throws -> [String] {
        try await pool.withConnection { conn in
            guard let row = try conn.query("SELECT array_to_string(aliases, E'\\n') AS aliases FROM agencies WHERE code = \(code)").single else {
                throw BatonError.notFound("agency \(code)")
            }
            return try row.decode(String.self, "aliases").split(separator: "\n").map(String.init)
        }
    }

    /// Adds and removes other names of an agency; returns the names it then has.
    public func setAgencyAliases(code: String, add: [String], remove: [String]) async throws -> [String] {
        let add = try add.map { try Self.alias($0) }
        let remove = remove.map { $0.trimmingCharacters(in: .whitespaces) }
        return try await pool.transaction { conn in
            try Self.addAliases(conn, code: code, add, removing: remove)
        }
    }

    /// An alias: a name of 2 to 200 characters without control characters or new lines.
    static func alias(_ raw: String) throws -> String {
        let name = try Text.words(.string(raw.trimmingCharacters(in: .whitespaces)), field: "alias", max: 200)!
        guard name.count >= 2 else { throw BatonError.invalid("alias", "'\(name)' is too short to name an agency") }
        return name
    }

    @discardableResult
    static func addAliases(_ conn: PostgresConnection, code: String, _ add: [String], removing remove: [String] = []) throws -> [String] {
        guard let row = try conn.query("""
            UPDATE agencies SET aliases = ARRAY(
                SELECT DISTINCT x FROM unnest(aliases || \(add)::text[]) x WHERE x <> ALL (\(remove)::text[]) ORDER BY x)
            WHERE code = \(code)
            RETURNING array_to_string(aliases, E'\\n') AS aliases
            """).single else { throw BatonError.notFound("agency \(code)") }
        return try row.decode(String.self, "aliases").split(separator: "\n").map(String.init)
    }
}

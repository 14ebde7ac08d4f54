import BatonCore
import Foundation
import Postgres

/// An agency as the API shows it.
public struct AgencyRecord: Sendable, Hashable, JSONWritable {
    public let code: String
    public let name: String
    public let kind: String
    public let parent: String?
    public let active: Bool

    public func write(to w: inout JSONWriter) {
        w.openObject()
        w.field("code", code)
        w.field("name", name)
        w.field("kind", kind)
        w.field("parent", parent)
        w.field("active", active)
        w.closeObject()
    }

    init(row: PostgresRow) throws {
        code = try row.decode(String.self, "code")
        name = try row.decode(String.self, "name")
        kind = try row.decode(String.self, "kind")
        parent = try row.decode(String?.self, "parent")
        active = try row.decode(Bool.self, "active")
    }
}

/// What an agency import did.
public struct AgencyImportResult: Sendable, Hashable {
    public let created: Int
    public let unchanged: Int
}

extension BatonStore {
    static let agencyColumns: PostgresQuery = "a.code, a.name, a.kind, p.code AS parent, a.active"

    /// Creates an agency; a duplicate code is a conflict, an unknown parent a validation error.
    public func addAgency(code: String, name: String, kind: String, parent: String?) async throws -> AgencyRecord {
        let code = try Text.code(code, field: "code")
        let name = try Text.words(.string(name), field: "name", max: 500)!
        let kind = try Text.kind(kind, field: "kind")
        let parent = try parent.flatMap { $0.isEmpty ? nil : try Text.code($0, field: "parent") }
        return try await pool.transaction { conn in
            try Self.insertAgency(conn, code: code, name: name, kind: kind, parent: parent)
            return try Self.agency(conn, code: code)!
        }
    }

    /// Creates agencies from `code,name,kind,parent` CSV, all or nothing.
    ///
    /// Parents may come in any order within the file; a row identical to an existing agency is
    /// skipped, a different one with the same code is a conflict naming its line.
    public func importAgencies(csv text: String) async throws -> AgencyImportResult {
        let rows = try CSV.parse(text)
        guard let header = rows.first?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            throw BatonError.invalid("csv", "the file is empty; expected the header code,name,kind,parent")
        }
        guard header == ["code", "name", "kind", "parent", "aliases"] || header == ["code", "name", "kind", "parent"] || header == ["code", "name", "kind"] else {
            throw BatonError.invalid("csv", "line 1: the header must be code,name,kind,parent[,aliases] (found \(header.joined(separator: ",")))")
        }
        struct Row { let line: Int; let code, name, kind: String; let parent: String?; let aliases: [String] }
        var parsed: [Row] = []
        var seen: Set<String> = []
        for (i, fields) in rows.dropFirst().enumerated() {
            let line = i + 2
            guard fields.count == header.count else {
                throw BatonError.invalid("csv", "line \(line): expected \(header.count) fields, found \(fields.count)")
            }
            func f(_ k: Int) -> String { fields[k].trimmingCharacters(in: .whitespaces) }
            do {
                let code = try Text.code(f(0), field: "code")
                let name = try Text.words(.string(f(1)), field: "name", max: 500)!
                let kind = try Text.kind(f(2), field: "kind")
                let parent = header.count >= 4 && !f(3).isEmpty ? try Text.code(f(3), field: "parent") : nil
                let aliases = header.count == 5 ? try f(4).split(separator: ";").map { try Self.alias(String($0)) } : []
                guard seen.insert(code).inserted else { throw BatonError.invalid("code", "\(code) appears twice in the file") }
                parsed.append(Row(line: line, code: code, name: name, kind: kind, parent: parent, aliases: aliases))
            } catch let e as BatonError {
                throw BatonError.invalid("csv", "line \(line): \(e.description)")
            }
        }
        // Parents first: repeatedly take rows whose parent is outside the file or already placed.
        var ordered: [Row] = []
        var placed: Set<String> = []
        var rest = parsed
        while !rest.isEmpty {
            let ready = rest.filter { $0.parent == nil || !seen.contains($0.parent!) || placed.contains($0.parent!) }
            guard !ready.isEmpty else {
                throw BatonError.invalid("csv", "line \(rest[0].line): the parents of \(rest.map(\.code).prefix(5).joined(separator: ", ")) form a cycle")
            }
            ordered += ready
            ready.forEach { placed.insert($0.code) }
            rest.removeAll { r in ready.contains { $0.code == r.code } }
        }
        let input = ordered
        return try await pool.transaction { conn in
            var created = 0, unchanged = 0
            for r in input {
                if let existing = try Self.agency(conn, code: r.code) {
                    guard existing.name == r.name, existing.kind == r.kind, existing.parent == r.parent else {
                        throw BatonError(.conflict, "line \(r.line): agency \(r.code) already exists with other details (\(existing.name), \(existing.kind), parent \(existing.parent ?? "none"))")
                    }
                    if !r.aliases.isEmpty { try Self.addAliases(conn, code: r.code, r.aliases) }
                    unchanged += 1
                    continue
                }
                do {
                    try Self.insertAgency(conn, code: r.code, name: r.name, kind: r.kind, parent: r.parent)
                    if !r.aliases.isEmpty { try Self.addAliases(conn, code: r.code, r.aliases) }
                } catch let e as BatonError {
                    throw BatonError(e.code, "line \(r.line): \(e.detail)", field: e.field)
                }
                created += 1
            }
            return AgencyImportResult(created: created, unchanged: unchanged)
        }
    }

    /// One agency by code, or nil.
    public func agency(code: String) async throws -> AgencyRecord? {
        try await pool.withConnection { try Self.agency($0, code: code) }
    }

    /// Agencies filtered by kind, parent and a diacritic-insensitive word search, ordered by code.
    public func agencies(kind: String?, parent: String?, query: String?, page: Page) async throws -> Paged<AgencyRecord> {
        let query = query?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == false ? query : nil
        return try await pool.withConnection { conn in
            var parentID: Int64?
            if let parent {
                guard let row = try conn.query("SELECT id FROM agencies WHERE code = \(parent)").single else {
                    throw BatonError.invalid("parent", "no agency has the code \(parent)")
                }
                parentID = try row.decode(Int64.self, "id")
            }
            let rows = try conn.query("""
                SELECT \(fragment: Self.agencyColumns)
                FROM agencies a LEFT JOIN agencies p ON p.id = a.parent_id
                WHERE (\(kind)::text IS NULL OR a.kind = \(kind))
                  AND (\(parentID)::bigint IS NULL OR a.parent_id = \(parentID))
                  AND (\(query)::text IS NULL OR a.name_folded LIKE ALL (\(fragment: Self.searchPatterns(query))))
                  AND (\(page.after)::text IS NULL OR a.code > \(page.after))
                ORDER BY a.code
                LIMIT \(page.limit + 1)
                """)
            return Paged(fetched: try rows.map(AgencyRecord.init(row:)), limit: page.limit) { $0.code }
        }
    }

    /// `LIKE` patterns for every word of `q`, folded exactly as names are (`baton_fold`): each word
    /// must begin a word of the name. Folding leaves only letters, digits and spaces, so no escaping.
    static func searchPatterns(_ q: String?) -> PostgresQuery {
        "ARRAY(SELECT '% ' || w || '%' FROM unnest(string_to_array(btrim(baton_fold(\(q))), ' ')) w WHERE w <> '')"
    }

    static func agency(_ conn: PostgresConnection, code: String) throws -> AgencyRecord? {
        try conn.query("""
            SELECT \(fragment: agencyColumns) FROM agencies a LEFT JOIN agencies p ON p.id = a.parent_id WHERE a.code = \(code)
            """).single.map(AgencyRecord.init(row:))
    }

    static func insertAgency(_ conn: PostgresConnection, code: String, name: String, kind: String, parent: String?) throws {
        var parentID: Int64?
        if let parent {
            guard let row = try conn.query("SELECT id FROM agencies WHERE code = \(parent)").single else {
                throw BatonError.invalid("parent", "no agency has the code \(parent)")
            }
            parentID = try row.decode(Int64.self, "id")
        }
        try mapped({
            try conn.query("INSERT INTO agencies (code, name, kind, parent_id) VALUES (\(code), \(name), \(kind), \(parentID))")
        }, conflict: "an agency with the code \(code) already exists")
    }

    /// Agency ids by code; unknown or inactive codes are a validation error naming `field`.
    static func agencyIDs(_ conn: PostgresConnection, codes: [String], field: (Int) -> String) throws -> [Int64] {
        guard !codes.isEmpty else { return [] }
        let rows = try conn.query("SELECT code, id, active FROM agencies WHERE code = ANY(\(codes)::text[])")
        var found: [String: (Int64, Bool)] = [:]
        for r in rows { found[try r.decode(String.self, "code")] = (try r.decode(Int64.self, "id"), try r.decode(Bool.self, "active")) }
        return try codes.enumerated().map { i, code in
            guard let (id, active) = found[code] else { throw BatonError.invalid(field(i), "no agency has the code \(code)") }
            guard active else { throw BatonError.invalid(field(i), "\(code) is no longer active") }
            return id
        }
    }
}

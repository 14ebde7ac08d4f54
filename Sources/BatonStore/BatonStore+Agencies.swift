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
    public func addAgency(_ agency: AgencySpec) async throws -> AgencyRecord {
        try await pool.transaction { conn in
            try Self.insertAgency(conn, agency)
            return try Self.agency(conn, code: agency.code)!
        }
    }

    /// Creates an agency from its fields (see `AgencySpec`).
    public func addAgency(code: String, name: String, kind: String, parent: String?) async throws -> AgencyRecord {
        try await addAgency(try AgencySpec(code: code, name: name, kind: kind, parent: parent))
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
        struct Row { let line: Int; let agency: AgencySpec; let aliases: [String] }
        var parsed: [Row] = []
        var seen: Set<String> = []
        for (i, fields) in rows.dropFirst().enumerated() {
            let line = i + 2
            guard fields.count == header.count else {
                throw BatonError.invalid("csv", "line \(line): expected \(header.count) fields, found \(fields.count)")
            }
            func f(_ k: Int) -> String { fields[k].trimmingCharacters(in: .whitespaces) }
            do {
                let agency = try AgencySpec(code: f(0), name: f(1), kind: f(2), parent: header.count >= 4 ? f(3) : nil)
                guard seen.insert(agency.code).inserted else { throw BatonError.invalid("code", "\(agency.code) appears twice in the file") }
                let aliases = header.count == 5 ? try f(4).split(separator: ";").map { try Self.alias(String($0)) } : []
                parsed.append(Row(line: line, agency: agency, aliases: aliases))
            } catch let e as BatonError {
                throw BatonError.invalid("csv", "line \(line): \(e.description)")
            }
        }
        // Parents first: repeatedly take rows whose parent is outside the file or already placed.
        var ordered: [Row] = []
        var placed: Set<String> = []
        var rest = parsed
        while !rest.isEmpty {
            let ready = rest.filter { r in r.agency.parent.map { !seen.contains($0) || placed.contains($0) } ?? true }
            guard !ready.isEmpty else {
                throw BatonError.invalid("csv", "line \(rest[0].line): the parents of \(rest.map(\.agency.code).prefix(5).joined(separator: ", ")) form a cycle")
            }
            ordered += ready
            ready.forEach { placed.insert($0.agency.code) }
            rest.removeAll { r in ready.contains { $0.agency.code == r.agency.code } }
        }
        let input = ordered
        return try await pool.transaction { conn in
            var created = 0, unchanged = 0
            for r in input {
                if let existing = try Self.agency(conn, code: r.agency.code) {
                    guard existing.name == r.agency.name, existing.kind == r.agency.kind, existing.parent == r.agency.parent else {
                        throw BatonError(.conflict, "line \(r.line): agency \(r.agency.code) already exists with other details (\(existing.name), \(existing.kind), parent \(existing.parent ?? "none"))")
                    }
                    if !r.aliases.isEmpty { try Self.addAliases(conn, code: r.agency.code, r.aliases) }
                    unchanged += 1
                    continue
                }
                do {
                    try Self.insertAgency(conn, r.agency)
                    if !r.aliases.isEmpty { try Self.addAliases(conn, code: r.agency.code, r.aliases) }
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
        return try await reads.withConnection { conn in
            let parentID = try parent.map { try Self.agencyID(conn, code: $0, .anyState, field: "parent") }
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

    static func insertAgency(_ conn: PostgresConnection, _ agency: AgencySpec) throws {
        let parentID = try agency.parent.map { try Self.agencyID(conn, code: $0, .anyState, field: "parent") }
        try mapped({
            try conn.query("""
                INSERT INTO agencies (code, name, kind, parent_id) VALUES (\(agency.code), \(agency.name), \(agency.kind), \(parentID))
                """)
        }, conflict: "an agency with the code \(agency.code) already exists")
    }
}

extension BatonStore {
    /// The code of another active agency with the same name (ignoring case and diacritics) under the
    /// same parent, if any: adding a second court beside the first is usually a mistake.
    public func sameNamedAgency(name: String, parent: String?, except code: String? = nil) async throws -> String? {
        try await statements.query("""
            SELECT a.code FROM agencies a LEFT JOIN agencies p ON p.id = a.parent_id
            WHERE a.active AND a.name_folded = baton_fold(\(name)) AND p.code IS NOT DISTINCT FROM \(parent)
              AND a.code IS DISTINCT FROM \(code)
            ORDER BY a.code LIMIT 1
            """).single?.decode(String.self, "code")
    }
}

import BatonCore
import Postgres

/// Which agencies a lookup by code may find: the one rule for inactive (deactivated or merged)
/// agencies. (Whom a lead form reaches is `BatonStore+Reach.swift`, which looks codes up here.)
enum AgencyState {
    /// Only active agencies: whatever gives an agency new work or scope (a lead, a fan-out root, a
    /// cooperating part, a reassignment, a plan's issuer or monitor, a user, a webhook, a merge,
    /// the `under` of the board and statistics).
    case active
    /// Active or not: filters over history (`agency=` of the task list, `parent=` of the agency
    /// list) and the parent of a new agency.
    case anyState
}

/// An agency found by its code.
struct FoundAgency: Sendable {
    let id: Int64
    let name: String
}

extension BatonStore {
    /// The agencies named by `codes`, in order; an unknown code, or an inactive one where `state`
    /// wants an active one, is a validation error naming `field(i)`.
    static func agencies(_ conn: PostgresConnection, codes: [String], _ state: AgencyState,
                         field: (Int) -> String) throws -> [FoundAgency] {
        guard !codes.isEmpty else { return [] }
        return try found(try conn.query(agencyLookup(codes)), codes: codes, state, field: field)
    }

    /// Agency ids by code, active ones unless `state` says otherwise (see `agencies`).
    static func agencyIDs(_ conn: PostgresConnection, codes: [String], _ state: AgencyState = .active,
                          field: (Int) -> String) throws -> [Int64] {
        try agencies(conn, codes: codes, state, field: field).map(\.id)
    }

    /// One agency's id by code (see `agencies`).
    static func agencyID(_ conn: PostgresConnection, code: String, _ state: AgencyState, field: String) throws -> Int64 {
        try agencies(conn, codes: [code], state) { _ in field }[0].id
    }

    /// One agency's id by code, as a single pipelined statement (see `agencies`).
    func agencyID(code: String, _ state: AgencyState, field: String) async throws -> Int64 {
        try Self.found(try await statements.query(Self.agencyLookup([code])), codes: [code], state) { _ in field }[0].id
    }

    /// One agency's id by code, active or not; nil when no agency has the code.
    static func existingAgencyID(_ conn: PostgresConnection, code: String) throws -> Int64? {
        let rows = try conn.query(agencyLookup([code]))
        guard !rows.isEmpty else { return nil }
        return try found(rows, codes: [code], .anyState) { _ in "code" }[0].id
    }

    /// Names of agencies by code, active or not (those that exist), for pages that show codes as names.
    public func agencyNames(codes: [String]) async throws -> [String: String] {
        guard !codes.isEmpty else { return [:] }
        return try await statements.query(Self.agencyLookup(Array(Set(codes))))
            .reduce(into: [:]) { out, row in out[try row.decode(String.self, "code")] = try row.decode(String.self, "name") }
    }

    private static func agencyLookup(_ codes: [String]) -> PostgresQuery {
        "SELECT code, id, name, active FROM agencies WHERE code = ANY(\(codes)::text[])"
    }

    private static func found(_ rows: PostgresRows, codes: [String], _ state: AgencyState,
                              field: (Int) -> String) throws -> [FoundAgency] {
        var byCode: [String: (agency: FoundAgency, active: Bool)] = [:]
        for r in rows {
            byCode[try r.decode(String.self, "code")] = (FoundAgency(id: try r.decode(Int64.self, "id"), name: try r.decode(String.self, "name")),
                                                         try r.decode(Bool.self, "active"))
        }
        return try codes.enumerated().map { i, code in
            guard let (agency, active) = byCode[code] else { throw BatonError.invalid(field(i), "no agency has the code \(code)") }
            guard active || state == .anyState else { throw BatonError.invalid(field(i), "\(code) is no longer active") }
            return agency
        }
    }
}

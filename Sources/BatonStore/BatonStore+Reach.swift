import BatonCore
import Foundation
import Postgres

/// How strictly a lead form is resolved against the register.
enum ReachMode {
    /// Assigning work (tasks' `lead`, indicators' `reported_by` on import): every code must name an
    /// active agency, `under` must lie within the issuer's jurisdiction, and the form must reach someone.
    case assign
    /// Checking who may act under a form recorded earlier: codes are looked up whatever their state,
    /// and an agency no longer in the register reaches nobody.
    case check
}

extension BatonStore {
    /// The one rule for whom a lead form reaches, for tasks' `lead` and indicators' `reported_by`:
    /// a predicate over an `agencies a` row.
    ///
    /// - `CODE`: that agency.
    /// - `{each_under: CODE}`: every agency below CODE at any depth, not CODE itself.
    /// - `{each_of_kind: KIND}`: every agency of that kind within the jurisdiction of `issuer`: below its
    ///   parent (the issuer's own level: Ban Chỉ đạo 138 huyện → UBND huyện → its schools), or below the
    ///   issuer itself when it has no parent. `under: CODE` narrows it to CODE's descendants; CODE must lie
    ///   within the jurisdiction.
    ///
    /// Whether an agency is active is the caller's filter (fan-out reaches active agencies only).
    static func reach(_ conn: PostgresConnection, _ form: LeadForm, issuer: Int64, field: String, mode: ReachMode) throws -> PostgresQuery {
        switch form {
        case .agency(let code):
            guard let id = try agencyID(conn, code: code, field: field, mode: mode) else { return "false" }
            return "a.id = \(id)"
        case .eachUnder(let code):
            guard let id = try agencyID(conn, code: code, field: "\(field).each_under", mode: mode) else { return "false" }
            return "a.path @> ARRAY[\(id)]::bigint[] AND a.id <> \(id)"
        case .eachOfKind(let kind, let under):
            guard let j = try conn.query("""
                SELECT r.id, r.code, i.code AS issuer FROM agencies i JOIN agencies r ON r.id = coalesce(i.parent_id, i.id) WHERE i.id = \(issuer)
                """).single else { return "false" }
            var root = try j.decode(Int64.self, "id")
            if let under {
                guard let u = try agencyID(conn, code: under, field: "\(field).under", mode: mode) else { return "false" }
                let inside = try conn.query("SELECT path @> ARRAY[\(root)]::bigint[] AS inside FROM agencies WHERE id = \(u)")[0].decode(Bool.self, "inside")
                if !inside, mode == .assign {
                    throw BatonError.invalid("\(field).under", "\(under) lies outside the jurisdiction of \(try j.decode(String.self, "issuer")) "
                                             + "(the agencies below \(try j.decode(String.self, "code")))")
                }
                root = u
            }
            return "a.kind = \(kind) AND a.path @> ARRAY[\(root)]::bigint[] AND a.id <> \(root)"
        }
    }

    /// The active agencies a lead form reaches, in code order; for `.assign`, reaching nobody is an error
    /// that says why (a fan-out of a kind found only outside the issuer's jurisdiction names that).
    static func reachedAgencies(_ conn: PostgresConnection, _ form: LeadForm, issuer: Int64, field: String) throws -> [Int64] {
        let reaches = try reach(conn, form, issuer: issuer, field: field, mode: .assign)
        let ids = try conn.query("SELECT a.id FROM agencies a WHERE a.active AND (\(fragment: reaches)) ORDER BY a.code").map { try $0.decode(Int64.self, "id") }
        guard ids.isEmpty else { return ids }
        if case .eachOfKind(let kind, _) = form {
            let elsewhere = try conn.query("SELECT count(*) AS n FROM agencies WHERE kind = \(kind) AND active")[0].decode(Int.self, "n")
            if elsewhere > 0 {
                throw BatonError.invalid(field, "no active agency of kind \(kind) lies within the issuer's jurisdiction (\(elsewhere) lie outside it): "
                                         + "each_of_kind reaches only the issuer's own level; name the agencies, or use each_under")
            }
            throw BatonError.invalid("\(field).each_of_kind", "no active agency is of kind \(kind)")
        }
        throw BatonError.invalid(field, "the fan-out reaches no active agency")
    }

    private static func agencyID(_ conn: PostgresConnection, code: String, field: String, mode: ReachMode) throws -> Int64? {
        switch mode {
        case .assign: return try agencyIDs(conn, codes: [code]) { _ in field }[0]
        case .check: return try existingAgencyID(conn, code: code)
        }
    }
}

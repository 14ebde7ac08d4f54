import BatonCore
import Foundation
import Postgres

/// The four buckets of Vietnam's task reporting, per agency, over tasks due in a period.
public struct Stats: Sendable, JSONWritable {
    public struct Row: Sendable, JSONWritable, Hashable {
        public let agency: String
        public let name: String
        public let closedOnTime: Int
        public let closedLate: Int
        public let openWithinTerm: Int
        public let openOverdue: Int
        public let noDeadline: Int

        public func write(to w: inout JSONWriter) {
            w.openObject()
            w.field("agency", agency)
            w.field("name", name)
            w.field("closed_on_time", closedOnTime)
            w.field("closed_late", closedLate)
            w.field("open_within_term", openWithinTerm)
            w.field("open_overdue", openOverdue)
            w.field("no_deadline", noDeadline)
            w.closeObject()
        }

        public static let columns = ["agency", "name", "closed_on_time", "closed_late", "open_within_term", "open_overdue", "no_deadline"]
        public var fields: [String] {
            [agency, name, String(closedOnTime), String(closedLate), String(openWithinTerm), String(openOverdue), String(noDeadline)]
        }
    }

    public let from: LocalDate
    public let to: LocalDate
    public let asOf: ZonedTime
    public let rows: [Row]

    public func write(to w: inout JSONWriter) {
        w.openObject()
        w.field("from", from)
        w.field("to", to)
        w.field("as_of", asOf)
        w.field("rows", rows)
        w.closeObject()
    }

    /// UTF-8 CSV with a byte-order mark, same columns as the JSON rows.
    public var csv: String { CSV.document(header: Row.columns, rows: rows.map(\.fields)) }
}

extension BatonStore {
    /// Per lead agency, over the leaf tasks the caller sees that are due from `from` through `to`
    /// (days in each plan's zone), judged against the due time in force (after approved extensions):
    /// closed on time, closed late, open within term, open overdue; and tasks without a deadline
    /// assigned in the period. Cancelled tasks are left out.
    public func stats(from: LocalDate, to: LocalDate, plan: UUID?, under: String?, for who: Principal?) async throws -> Stats {
        guard from <= to else { throw BatonError.invalid("to", "the period ends (\(to)) before it starts (\(from))") }
        return try await pool.withConnection { conn in
            var underID: Int64?
            if let under { underID = try Self.agencyIDs(conn, codes: [under]) { _ in "under" }.first }
            if let plan, let who {
                guard try conn.query("SELECT 1 AS one FROM plans p WHERE p.id = \(plan) AND (\(fragment: Self.planVisible(who)))").count == 1 else {
                    throw BatonError.notFound("plan \(plan)")
                }
            }
            let visible: PostgresQuery = who.map(Self.taskVisible) ?? "true"
            let rows = try conn.query("""
                WITH now AS (SELECT baton_now() AS t)
                SELECT la.code, la.name,
                       count(*) FILTER (WHERE t.due_at IS NOT NULL AND t.closed_at IS NOT NULL AND t.on_time) AS closed_on_time,
                       count(*) FILTER (WHERE t.due_at IS NOT NULL AND t.closed_at IS NOT NULL AND NOT t.on_time) AS closed_late,
                       count(*) FILTER (WHERE t.due_at IS NOT NULL AND t.open AND t.due_at > now.t) AS open_within_term,
                       count(*) FILTER (WHERE t.due_at IS NOT NULL AND t.open AND t.due_at <= now.t) AS open_overdue,
                       count(*) FILTER (WHERE t.due_at IS NULL) AS no_deadline
                FROM tasks t
                JOIN plans p ON p.id = t.plan_id
                JOIN agencies la ON la.id = t.lead_id
                CROSS JOIN now
                WHERE t.leaf AND (t.open OR t.closed_at IS NOT NULL) AND (\(fragment: visible))
                  AND CASE WHEN t.due_at IS NOT NULL
                           THEN t.due_at >= (\(from.description)::date::timestamp AT TIME ZONE p.time_zone)
                                AND t.due_at < ((\(to.description)::date + 1)::timestamp AT TIME ZONE p.time_zone)
                           ELSE t.created_at >= (\(from.description)::date::timestamp AT TIME ZONE p.time_zone)
                                AND t.created_at < ((\(to.description)::date + 1)::timestamp AT TIME ZONE p.time_zone) END
                  AND (\(plan)::uuid IS NULL OR t.plan_id = \(plan))
                  AND (\(underID)::bigint IS NULL OR la.path @> ARRAY[\(underID)]::bigint[])
                GROUP BY la.id, la.code, la.name
                ORDER BY la.code
                """)
            let now = try conn.query("SELECT baton_now() AS now")[0].decode(Date.self, "now")
            return Stats(from: from, to: to, asOf: ZonedTime(now, TimeZone.named(PlanDocument.defaultTimeZone)), rows: try rows.map { r in
                Stats.Row(agency: try r.decode(String.self, "code"), name: try r.decode(String.self, "name"),
                          closedOnTime: try r.decode(Int.self, "closed_on_time"), closedLate: try r.decode(Int.self, "closed_late"),
                          openWithinTerm: try r.decode(Int.self, "open_within_term"), openOverdue: try r.decode(Int.self, "open_overdue"),
                          noDeadline: try r.decode(Int.self, "no_deadline"))
            })
        }
    }
}

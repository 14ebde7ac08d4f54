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
        /// Its cooperating parts (counted apart from its own work), due in the period: contributed on time,
        /// late, still owed within term, still owed past due.
        public let cooperatingOnTime: Int
        public let cooperatingLate: Int
        public let cooperatingWithinTerm: Int
        public let cooperatingOverdue: Int

        public func write(to w: inout JSONWriter) {
            w.openObject()
            w.field("agency", agency)
            w.field("name", name)
            w.field("closed_on_time", closedOnTime)
            w.field("closed_late", closedLate)
            w.field("open_within_term", openWithinTerm)
            w.field("open_overdue", openOverdue)
            w.field("no_deadline", noDeadline)
            w.field("cooperating_on_time", cooperatingOnTime)
            w.field("cooperating_late", cooperatingLate)
            w.field("cooperating_within_term", cooperatingWithinTerm)
            w.field("cooperating_overdue", cooperatingOverdue)
            w.closeObject()
        }

        public static let columns = ["agency", "name", "closed_on_time", "closed_late", "open_within_term", "open_overdue", "no_deadline",
                                     "cooperating_on_time", "cooperating_late", "cooperating_within_term", "cooperating_overdue"]
        public var fields: [String] {
            [agency, name, String(closedOnTime), String(closedLate), String(openWithinTerm), String(openOverdue), String(noDeadline),
             String(cooperatingOnTime), String(cooperatingLate), String(cooperatingWithinTerm), String(cooperatingOverdue)]
        }
    }

    /// The days covered; its name (`2026-H1`) when it is a whole year, half, quarter or month.
    public let period: ReportPeriod
    public let asOf: ZonedTime
    public let rows: [Row]

    public func write(to w: inout JSONWriter) {
        w.openObject()
        w.field("from", period.from)
        w.field("to", period.to)
        w.field("period", period.name)
        w.field("as_of", asOf)
        w.field("rows", rows)
        w.closeObject()
    }

    /// UTF-8 CSV with a byte-order mark, same columns as the JSON rows.
    public var csv: String { CSV.document(header: Row.columns, rows: rows.map(\.fields)) }
}

extension BatonStore {
    /// Per lead agency, over the leaf tasks the caller sees that are due in `period`, judged against the
    /// due time in force (after approved extensions): closed on time, closed late, open within term, open
    /// overdue; and tasks without a deadline assigned in the period. Cancelled tasks are left out.
    ///
    /// A task is due in the period when its due day — the local date (plan's zone) of the last moment
    /// before its due time in force — lies in it (`ReportPeriod`): the period's first instant excluded,
    /// its last included.
    public func stats(period: ReportPeriod, plan: UUID?, under: String?, for who: Principal?) async throws -> Stats {
        let (from, to) = (period.from, period.to)
        return try await pool.withConnection { conn in
            let scope = try Self.reportScope(conn, plan: plan, under: under, for: who)
            let (inPlan, underID, now) = (scope.inPlan, scope.underID, scope.now)
            let visible: PostgresQuery = who.map(Self.taskVisible) ?? "true"
            let start: PostgresQuery = "(\(from.description)::date::timestamp AT TIME ZONE p.time_zone)"
            let end: PostgresQuery = "((\(to.description)::date + 1)::timestamp AT TIME ZONE p.time_zone)"
            let rows = try conn.query("""
                WITH now AS (SELECT \(now)::timestamptz AS t),
                scope AS (
                    SELECT t.id, t.lead_id, t.open, t.due_at, t.closed_at, t.on_time, t.created_at,
                           \(fragment: start) AS period_start, \(fragment: end) AS period_end
                    FROM tasks t
                    JOIN plans p ON p.id = t.plan_id
                    LEFT JOIN agencies la ON la.id = t.lead_id
                    WHERE t.leaf AND t.kind = 'task' AND (t.open OR t.closed_at IS NOT NULL) AND (\(fragment: visible)) AND \(fragment: inPlan)
                ), lead AS (
                    SELECT t.lead_id AS agency_id,
                           count(*) FILTER (WHERE t.closed_at IS NOT NULL AND t.on_time) AS closed_on_time,
                           count(*) FILTER (WHERE t.closed_at IS NOT NULL AND NOT t.on_time) AS closed_late,
                           count(*) FILTER (WHERE t.open AND t.due_at > now.t) AS open_within_term,
                           count(*) FILTER (WHERE t.open AND t.due_at <= now.t) AS open_overdue,
                           count(*) FILTER (WHERE t.due_at IS NULL) AS no_deadline
                    FROM scope t CROSS JOIN now
                    WHERE CASE WHEN t.due_at IS NOT NULL THEN t.due_at > t.period_start AND t.due_at <= t.period_end
                               ELSE t.created_at >= t.period_start AND t.created_at < t.period_end END
                    GROUP BY t.lead_id
                ), coop AS (
                    SELECT c.agency_id,
                           count(*) FILTER (WHERE c.contributed_at IS NOT NULL AND c.contributed_at < coalesce(c.due_at, t.due_at)) AS cooperating_on_time,
                           count(*) FILTER (WHERE c.contributed_at IS NOT NULL AND c.contributed_at >= coalesce(c.due_at, t.due_at)) AS cooperating_late,
                           count(*) FILTER (WHERE c.contributed_at IS NULL AND t.open AND coalesce(c.due_at, t.due_at) > now.t) AS cooperating_within_term,
                           count(*) FILTER (WHERE c.contributed_at IS NULL AND t.open AND coalesce(c.due_at, t.due_at) <= now.t) AS cooperating_overdue
                    FROM scope t JOIN task_cooperators c ON c.task_id = t.id CROSS JOIN now
                    WHERE coalesce(c.due_at, t.due_at) > t.period_start AND coalesce(c.due_at, t.due_at) <= t.period_end
                    GROUP BY c.agency_id
                )
                SELECT a.code, a.name, coalesce(l.closed_on_time, 0) AS closed_on_time, coalesce(l.closed_late, 0) AS closed_late,
                       coalesce(l.open_within_term, 0) AS open_within_term, coalesce(l.open_overdue, 0) AS open_overdue,
                       coalesce(l.no_deadline, 0) AS no_deadline, coalesce(c.cooperating_on_time, 0) AS cooperating_on_time,
                       coalesce(c.cooperating_late, 0) AS cooperating_late, coalesce(c.cooperating_within_term, 0) AS cooperating_within_term,
                       coalesce(c.cooperating_overdue, 0) AS cooperating_overdue
                FROM lead l
                FULL JOIN coop c ON c.agency_id = l.agency_id
                JOIN agencies a ON a.id = coalesce(l.agency_id, c.agency_id)
                WHERE (\(underID)::bigint IS NULL OR a.path @> ARRAY[\(underID)]::bigint[])
                ORDER BY a.code
                """)
            return Stats(period: period, asOf: ZonedTime(now, scope.zone), rows: try rows.map { r in
                Stats.Row(agency: try r.decode(String.self, "code"), name: try r.decode(String.self, "name"),
                          closedOnTime: try r.decode(Int.self, "closed_on_time"), closedLate: try r.decode(Int.self, "closed_late"),
                          openWithinTerm: try r.decode(Int.self, "open_within_term"), openOverdue: try r.decode(Int.self, "open_overdue"),
                          noDeadline: try r.decode(Int.self, "no_deadline"),
                          cooperatingOnTime: try r.decode(Int.self, "cooperating_on_time"), cooperatingLate: try r.decode(Int.self, "cooperating_late"),
                          cooperatingWithinTerm: try r.decode(Int.self, "cooperating_within_term"),
                          cooperatingOverdue: try r.decode(Int.self, "cooperating_overdue"))
            })
        }
    }
}

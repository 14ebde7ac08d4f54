import BatonCore
import Foundation
import Postgres

/// The pending-by-agency board: one row per agency with open work.
public struct Board: Sendable, JSONWritable {
    public struct Row: Sendable, JSONWritable, Hashable {
        public let agency: String
        public let name: String
        public let open: Int
        public let unacknowledged: Int
        /// Open, not acknowledged, and past the limit to acknowledge.
        public let ackOverdue: Int
        public let overdue: Int
        public let dueSoon: Int
        public let closed: Int
        public let closedOnTime: Int
        public let closedLate: Int
        public let onTimeRate: Double?
        /// Open tasks of its own with a difficulty waiting for an answer.
        public let openDifficulties: Int
        /// Cooperating parts it still owes (no contribution yet) on open tasks, and those past their due time.
        public let cooperatingOpen: Int
        public let cooperatingOverdue: Int

        public func write(to w: inout JSONWriter) {
            w.openObject()
            w.field("agency", agency)
            w.field("name", name)
            w.field("open", open)
            w.field("unacknowledged", unacknowledged)
            w.field("overdue", overdue)
            w.field("due_soon", dueSoon)
            w.field("closed", closed)
            w.field("closed_on_time", closedOnTime)
            w.field("closed_late", closedLate)
            w.field("on_time_rate", onTimeRate)
            w.field("ack_overdue", ackOverdue)
            w.field("open_difficulties", openDifficulties)
            w.field("cooperating_open", cooperatingOpen)
            w.field("cooperating_overdue", cooperatingOverdue)
            w.closeObject()
        }

        /// The columns, in order, as JSON, CSV and tables show them.
        public static let columns = ["agency", "name", "open", "unacknowledged", "overdue", "due_soon", "closed",
                                     "closed_on_time", "closed_late", "on_time_rate", "ack_overdue", "open_difficulties",
                                     "cooperating_open", "cooperating_overdue"]

        public var fields: [String] {
            [agency, name, String(open), String(unacknowledged), String(overdue), String(dueSoon), String(closed),
             String(closedOnTime), String(closedLate), onTimeRate.map { JSONValue.number(($0 * 10_000).rounded() / 10_000).jsonText } ?? "",
             String(ackOverdue), String(openDifficulties), String(cooperatingOpen), String(cooperatingOverdue)]
        }
    }

    public let asOf: ZonedTime
    public let rows: [Row]

    public func write(to w: inout JSONWriter) {
        w.openObject()
        w.field("as_of", asOf)
        w.field("rows", rows)
        w.closeObject()
    }

    /// UTF-8 CSV with a byte-order mark, same columns as the JSON.
    public var csv: String { CSV.document(header: Row.columns, rows: rows.map(\.fields)) }
}

/// Filters of the board.
public struct BoardFilter: Sendable, Hashable {
    public var plan: UUID?
    public var kind: String?
    public var under: String?
    public init(plan: UUID? = nil, kind: String? = nil, under: String? = nil) {
        self.plan = plan
        self.kind = kind
        self.under = under
    }
}

extension BatonStore {
    /// Counts leaf tasks by lead agency over what the caller sees (everything for `who == nil`, the admin CLI),
    /// and cooperating parts by cooperating agency. A plan filter takes in the plans made under it.
    /// `due_soon`: open and due within 7 days. Agencies with nothing open are left out.
    public func board(_ filter: BoardFilter, for who: Principal?) async throws -> Board {
        try await pool.withConnection { conn in
            let scope = try Self.reportScope(conn, plan: filter.plan, under: filter.under, for: who)
            let (inPlan, underID, now) = (scope.inPlan, scope.underID, scope.now)
            let visible: PostgresQuery = who.map(Self.taskVisible) ?? "true"
            let rows = try conn.query("""
                WITH now AS (SELECT \(now)::timestamptz AS t),
                scope AS (
                    SELECT t.id, t.lead_id, t.open, t.acknowledged_at, t.ack_due_at, t.due_at, t.closed_at, t.on_time, t.pending
                    FROM tasks t
                    JOIN plans p ON p.id = t.plan_id
                    LEFT JOIN agencies la ON la.id = t.lead_id
                    WHERE t.leaf AND t.kind = 'task' AND (\(fragment: visible)) AND \(fragment: inPlan)
                ), lead AS (
                    SELECT t.lead_id AS agency_id,
                           count(*) FILTER (WHERE t.open) AS open,
                           count(*) FILTER (WHERE t.open AND t.acknowledged_at IS NULL) AS unacknowledged,
                           count(*) FILTER (WHERE t.open AND t.acknowledged_at IS NULL AND t.ack_due_at <= now.t) AS ack_overdue,
                           count(*) FILTER (WHERE t.open AND t.due_at <= now.t) AS overdue,
                           count(*) FILTER (WHERE t.open AND t.due_at > now.t AND t.due_at <= now.t + interval '7 days') AS due_soon,
                           count(*) FILTER (WHERE t.closed_at IS NOT NULL) AS closed,
                           count(*) FILTER (WHERE t.on_time) AS closed_on_time,
                           count(*) FILTER (WHERE t.on_time = false) AS closed_late,
                           count(*) FILTER (WHERE t.open AND t.pending ? 'difficulty') AS open_difficulties
                    FROM scope t CROSS JOIN now GROUP BY t.lead_id
                ), coop AS (
                    SELECT c.agency_id,
                           count(*) AS cooperating_open,
                           count(*) FILTER (WHERE coalesce(c.due_at, t.due_at) <= now.t) AS cooperating_overdue
                    FROM scope t JOIN task_cooperators c ON c.task_id = t.id CROSS JOIN now
                    WHERE t.open AND c.contributed_at IS NULL
                    GROUP BY c.agency_id
                )
                SELECT a.code, a.name, coalesce(l.open, 0) AS open, coalesce(l.unacknowledged, 0) AS unacknowledged,
                       coalesce(l.ack_overdue, 0) AS ack_overdue, coalesce(l.overdue, 0) AS overdue, coalesce(l.due_soon, 0) AS due_soon,
                       coalesce(l.closed, 0) AS closed, coalesce(l.closed_on_time, 0) AS closed_on_time,
                       coalesce(l.closed_late, 0) AS closed_late, coalesce(l.open_difficulties, 0) AS open_difficulties,
                       coalesce(c.cooperating_open, 0) AS cooperating_open, coalesce(c.cooperating_overdue, 0) AS cooperating_overdue
                FROM lead l
                FULL JOIN coop c ON c.agency_id = l.agency_id
                JOIN agencies a ON a.id = coalesce(l.agency_id, c.agency_id)
                WHERE (l.open > 0 OR c.cooperating_open > 0)
                  AND (\(filter.kind)::text IS NULL OR a.kind = \(filter.kind))
                  AND (\(underID)::bigint IS NULL OR a.path @> ARRAY[\(underID)]::bigint[])
                ORDER BY overdue DESC, unacknowledged DESC, open DESC, a.code
                """)
            return Board(asOf: ZonedTime(now, scope.zone), rows: try rows.map { r in
                let onTime = try r.decode(Int.self, "closed_on_time"), late = try r.decode(Int.self, "closed_late")
                return Board.Row(
                    agency: try r.decode(String.self, "code"), name: try r.decode(String.self, "name"),
                    open: try r.decode(Int.self, "open"), unacknowledged: try r.decode(Int.self, "unacknowledged"),
                    ackOverdue: try r.decode(Int.self, "ack_overdue"),
                    overdue: try r.decode(Int.self, "overdue"), dueSoon: try r.decode(Int.self, "due_soon"),
                    closed: try r.decode(Int.self, "closed"), closedOnTime: onTime, closedLate: late,
                    onTimeRate: onTime + late == 0 ? nil : Double(onTime) / Double(onTime + late),
                    openDifficulties: try r.decode(Int.self, "open_difficulties"),
                    cooperatingOpen: try r.decode(Int.self, "cooperating_open"),
                    cooperatingOverdue: try r.decode(Int.self, "cooperating_overdue"))
            })
        }
    }
}

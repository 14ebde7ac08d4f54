import BatonCore
import Foundation
import Postgres

/// The four buckets of Vietnam's task reporting, per agency, over tasks due in a period.
public struct Stats: Sendable, JSONWritable {
    /// One agency's row: its counts by `StatsColumn`.
    public typealias Row = AgencyCounts<StatsColumn>

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
    ///
    /// Statistics of everything (no plan, a caller who sees every task) add up the counts the transactions keep
    /// (`keptCountsServe`) when they are settled for its clock; `recount` counts the tasks anyway (the tests hold the
    /// two equal).
    public func stats(period: ReportPeriod, plan: UUID?, under: String?, for who: Principal?, recount: Bool = false) async throws -> Stats {
        let (from, to) = (period.from, period.to)
        return try await reads.withConnection { conn in
            let scope = try Self.reportScope(conn, plan: plan, under: under, for: who)
            let (inPlan, underID, now) = (scope.inPlan, scope.underID, scope.now)
            // From `counts` (agency_id and every counted column), by agency code in byte order (as the board's ties).
            let rows: PostgresQuery = """
                SELECT a.code, a.name, \(fragment: Stats.Row.counted(in: "n"))
                FROM counts n
                JOIN agencies a ON a.id = n.agency_id
                WHERE (\(underID)::bigint IS NULL OR a.path @> ARRAY[\(underID)]::bigint[])
                ORDER BY a.code COLLATE "C"
                """
            if !recount && Self.keptCountsServe(plan: plan, for: who) {
                let found = try conn.query(("""
                    WITH now AS (SELECT \(now)::timestamptz AS t),
                    folded AS MATERIALIZED (
                        SELECT k.agency_id, sum(k.n) AS tallied, \(fragment: Stats.Row.kept(from: .lead)), \(fragment: Stats.Row.kept(from: .coop))
                        FROM (\(fragment: Self.keptStatsRows(underID, period))) k CROSS JOIN now
                        GROUP BY k.agency_id
                    ), changes AS MATERIALIZED (
                        SELECT k.agency_id, sum(k.n) AS tallied, \(fragment: Stats.Row.kept(from: .lead)), \(fragment: Stats.Row.kept(from: .coop))
                        FROM (\(fragment: Self.keptStatsChanges(underID, period))) k CROSS JOIN now
                        GROUP BY k.agency_id
                    ), counts AS (
                        SELECT coalesce(f.agency_id, c.agency_id) AS agency_id, \(fragment: Stats.Row.sums("f", "c"))
                        FROM folded f FULL JOIN changes c ON c.agency_id = f.agency_id
                        WHERE coalesce(f.tallied, 0) + coalesce(c.tallied, 0) > 0
                    )
                    """ + rows).plannedEachTime)
                if try Self.keptCountsSettled(conn, at: now) {
                    return Stats(period: period, asOf: ZonedTime(now, scope.zone), rows: try found.map(Stats.Row.init(row:)))
                }
            }
            let visible: PostgresQuery = who.map(Self.taskVisible) ?? "true"
            let start: PostgresQuery = "(\(from.description)::date::timestamp AT TIME ZONE p.time_zone)"
            let end: PostgresQuery = "((\(to.description)::date + 1)::timestamp AT TIME ZONE p.time_zone)"
            let found = try conn.query(("""
                WITH now AS (SELECT \(now)::timestamptz AS t),
                scope AS (
                    SELECT t.id, t.lead_id, t.open, t.due_at, t.closed_at, t.on_time, t.created_at,
                           \(fragment: start) AS period_start, \(fragment: end) AS period_end
                    FROM tasks t
                    JOIN plans p ON p.id = t.plan_id
                    WHERE t.leaf AND t.kind = 'task' AND (t.open OR t.closed_at IS NOT NULL) AND (\(fragment: visible)) AND \(fragment: inPlan) AND \(fragment: Self.touching(underID))
                ), lead AS (
                    SELECT t.lead_id AS agency_id, \(fragment: Stats.Row.counted(from: .lead))
                    FROM scope t CROSS JOIN now
                    WHERE CASE WHEN t.due_at IS NOT NULL THEN t.due_at > t.period_start AND t.due_at <= t.period_end
                               ELSE t.created_at >= t.period_start AND t.created_at < t.period_end END
                    GROUP BY t.lead_id
                ), coop AS (
                    SELECT c.agency_id, \(fragment: Stats.Row.counted(from: .coop))
                    FROM scope t JOIN task_cooperators c ON c.task_id = t.id CROSS JOIN now
                    WHERE coalesce(c.due_at, t.due_at) > t.period_start AND coalesce(c.due_at, t.due_at) <= t.period_end
                    GROUP BY c.agency_id
                ), counts AS (
                    SELECT coalesce(l.agency_id, c.agency_id) AS agency_id, \(fragment: Stats.Row.totals)
                    FROM lead l FULL JOIN coop c ON c.agency_id = l.agency_id
                )
                """ + rows).plannedEachTime)
            return Stats(period: period, asOf: ZonedTime(now, scope.zone), rows: try found.map(Stats.Row.init(row:)))
        }
    }
}

import BatonCore
import Foundation
import Postgres

/// The pending-by-agency board: one row per agency with open work.
public struct Board: Sendable, JSONWritable {
    /// One agency's row: its counts by `BoardColumn`.
    public typealias Row = AgencyCounts<BoardColumn>

    public let asOf: ZonedTime
    /// Worst first: most overdue, then most not acknowledged, most open, then by agency code (byte order).
    public let rows: [Row]

    init(asOf: ZonedTime, unordered rows: [Row]) {
        self.asOf = asOf
        let (overdue, unacknowledged, open) = (BoardColumn.overdue.position, BoardColumn.unacknowledged.position, BoardColumn.open.position)
        self.rows = rows.sorted { a, b in
            let (x, y) = (a.counts, b.counts)
            if x[overdue] != y[overdue] { return x[overdue] > y[overdue] }
            if x[unacknowledged] != y[unacknowledged] { return x[unacknowledged] > y[unacknowledged] }
            if x[open] != y[open] { return x[open] > y[open] }
            return Row.byCode(a, b)
        }
    }

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
    ///
    /// A board of everything (no plan, a caller who sees every task) adds up the counts the transactions keep
    /// (`keptCountsServe`) instead of counting every task, when they are settled for its clock; `recount` counts the
    /// tasks anyway (the tests hold the two equal).
    public func board(_ filter: BoardFilter, for who: Principal?, recount: Bool = false) async throws -> Board {
        try await reads.withConnection { conn in
            let scope = try Self.reportScope(conn, plan: filter.plan, under: filter.under, for: who)
            let (inPlan, underID, now) = (scope.inPlan, scope.underID, scope.now)
            // From `counts` (agency_id and every counted column), the agencies with something open (in `Board`'s
            // order, sorted here: PostgreSQL took 100 ms to sort 50,000 rows, Baton takes a few).
            let rows: PostgresQuery = """
                SELECT a.code, a.name, \(fragment: Board.Row.counted(in: "n"))
                FROM counts n
                JOIN agencies a ON a.id = n.agency_id
                WHERE (n.open > 0 OR n.cooperating_open > 0)
                  AND (\(filter.kind)::text IS NULL OR a.kind = \(filter.kind))
                  AND (\(underID)::bigint IS NULL OR a.path @> ARRAY[\(underID)]::bigint[])
                """
            if !recount && Self.keptCountsServe(plan: filter.plan, for: who) {
                let found = try conn.query(("""
                    WITH now AS (SELECT \(now)::timestamptz AS t),
                    instants AS MATERIALIZED (
                        SELECT k.agency_id, \(fragment: Board.Row.keptInstants)
                        FROM (\(fragment: Self.keptBoardInstants(underID, now))) k CROSS JOIN now
                        GROUP BY k.agency_id
                    ), changes AS MATERIALIZED (
                        SELECT k.agency_id, \(fragment: Board.Row.kept(from: .lead)), \(fragment: Board.Row.kept(from: .coop))
                        FROM (\(fragment: Self.keptBoardChanges(underID))) k CROSS JOIN now
                        GROUP BY k.agency_id
                    ), counts AS (
                        SELECT coalesce(s.agency_id, i.agency_id, c.agency_id) AS agency_id, \(fragment: Board.Row.keptSums)
                        FROM (\(fragment: Self.keptBoardSettled(underID))) s
                        FULL JOIN instants i ON i.agency_id = s.agency_id
                        FULL JOIN changes c ON c.agency_id = coalesce(s.agency_id, i.agency_id)
                    )
                    """ + rows).plannedEachTime)
                if try Self.keptCountsSettled(conn, at: now) {
                    return Board(asOf: ZonedTime(now, scope.zone), unordered: try found.map(Board.Row.init(row:)))
                }
            }
            let visible: PostgresQuery = who.map(Self.taskVisible) ?? "true"
            let found = try conn.query(("""
                WITH now AS (SELECT \(now)::timestamptz AS t),
                scope AS (
                    SELECT t.id, t.lead_id, t.open, t.acknowledged_at, t.ack_due_at, t.due_at, t.closed_at, t.on_time, t.pending
                    FROM tasks t \(fragment: Self.plansForVisibility(who))
                    WHERE t.leaf AND t.kind = 'task' AND (\(fragment: visible)) AND \(fragment: inPlan) AND \(fragment: Self.touching(underID))
                ), lead AS (
                    SELECT t.lead_id AS agency_id, \(fragment: Board.Row.counted(from: .lead))
                    FROM scope t CROSS JOIN now GROUP BY t.lead_id
                ), coop AS (
                    SELECT c.agency_id, \(fragment: Board.Row.counted(from: .coop))
                    FROM scope t JOIN task_cooperators c ON c.task_id = t.id CROSS JOIN now
                    WHERE t.open AND c.contributed_at IS NULL
                    GROUP BY c.agency_id
                ), counts AS (
                    SELECT coalesce(l.agency_id, c.agency_id) AS agency_id, \(fragment: Board.Row.totals)
                    FROM lead l FULL JOIN coop c ON c.agency_id = l.agency_id
                )
                """ + rows).plannedEachTime)
            return Board(asOf: ZonedTime(now, scope.zone), unordered: try found.map(Board.Row.init(row:)))
        }
    }
}

import BatonCore
import Foundation
import Postgres

extension BatonStore {
    /// What the board and the statistics count over: the tasks of `plan` and of the plans made under
    /// it (`true` without a plan; the plan must be one `who` sees, any for the admin CLI), agencies
    /// under `under`, the clock read once for the counts and their `as_of`, and the zone that `as_of`
    /// is shown in (the plan's, else Vietnam's). The plans' ids are read first so the planner sees them
    /// and goes straight to their tasks.
    struct ReportScope {
        let inPlan: PostgresQuery
        let underID: Int64?
        let now: Date
        let zone: TimeZone
    }

    static func reportScope(_ conn: PostgresConnection, plan: UUID?, under: String?, for who: Principal?) throws -> ReportScope {
        let underID = try under.map { try agencyIDs(conn, codes: [$0]) { _ in "under" }[0] }
        guard let plan else {
            let now = try conn.query("SELECT baton_now() AS now")[0].decode(Date.self, "now")
            return ReportScope(inPlan: "true", underID: underID, now: now, zone: .named(PlanDocument.defaultTimeZone))
        }
        let visible: PostgresQuery = who.map(Self.planVisible) ?? "true"
        guard let row = try conn.query("""
            SELECT p.time_zone, baton_now() AS now,
                   (SELECT array_agg(c.id)::text FROM plans c WHERE c.lineage @> ARRAY[p.id]) AS ids
            FROM plans p WHERE p.id = \(plan) AND (\(fragment: visible))
            """).single else {
            throw BatonError.notFound("plan \(plan.lower)")
        }
        let ids = try row.decode(String.self, "ids")  // the array as PostgreSQL writes it, bound back as is
        return ReportScope(inPlan: "t.plan_id = ANY(\(ids)::uuid[])", underID: underID,
                           now: try row.decode(Date.self, "now"), zone: .named(try row.decode(String.self, "time_zone")))
    }
}

extension BatonStore {
    /// For a report `under` an agency: the tasks `t` whose lead, or one of whose cooperating agencies, is that
    /// agency or below it — everything the report's rows (kept to agencies below it) count — as membership of
    /// the task's own columns in sets computed once, so a province's report reads the province's tasks through
    /// the lead and primary-key indexes instead of every task (`true` without `under`).
    static func touching(_ underID: Int64?) -> PostgresQuery {
        guard let underID else { return "true" }
        let below = agenciesAtOrBelow(underID)
        return "(t.lead_id = ANY (ARRAY(" + below + ")) OR t.id = ANY (ARRAY(SELECT uc.task_id FROM task_cooperators uc WHERE uc.agency_id = ANY (ARRAY("
            + below + ")))))"
    }
}

extension BatonStore {
    /// Whether a report may add up the counts the transactions keep (sql/0015_kept_counts.sql) instead of
    /// counting tasks: the counts are per agency over every task, so only for a caller who sees every task (the
    /// admin, the CLI) and without a plan filter. Every other report counts the tasks it shows.
    static func keptCountsServe(plan: UUID?, for who: Principal?) -> Bool {
        plan == nil && (who?.viewer.grounds.contains(.everything) ?? true)
    }

    /// Whether the kept counts may be read at `now`: the rows they settled (sql/0017_settled_counts.sql) were all
    /// due before it. Asked after reading the counts, since what is settled only grows; false only for a clock set
    /// back, when the report counts the tasks instead.
    static func keptCountsSettled(_ conn: PostgresConnection, at now: Date) throws -> Bool {
        try conn.query("SELECT \(now)::timestamptz >= until AS settled FROM kept_counts_settled")[0].decode(Bool.self, "settled")
    }

    /// The board's kept tally rows (`agency_id, measure, at, n`) with an instant up to 7 days after `now`
    /// (sql/0019_board_totals.sql: later ones only add to the totals), for agencies under `underID` (all without it).
    static func keptBoardInstants(_ underID: Int64?, _ now: Date) -> PostgresQuery {
        "SELECT agency_id, measure, at, n FROM board_counts WHERE at > '-infinity' AND at <= \(now)::timestamptz + interval '7 days' AND "
            + keptUnder(underID)
    }

    /// The board's changes not yet folded, with the totals they add, likewise.
    static func keptBoardChanges(_ underID: Int64?) -> PostgresQuery {
        let under = keptUnder(underID)
        return "SELECT agency_id, measure, at, n FROM task_count_changes WHERE day IS NULL AND " + under
            + " UNION ALL SELECT * FROM (" + boardTotals(of: "task_count_changes") + ") totals WHERE " + under
    }

    /// The board's folded sums without an instant or settled, one row per agency (sql/0020_board_agency_counts.sql).
    static func keptBoardSettled(_ underID: Int64?) -> PostgresQuery {
        "SELECT * FROM board_agency_counts WHERE " + keptUnder(underID)
    }

    /// The totals without an instant that tally rows `rows` (`agency_id, measure, at, day, n`) add to the board, as
    /// `agency_id, measure, at, n`: what the fold writes beside them (sql/0019_board_totals.sql).
    static func boardTotals(of rows: String) -> PostgresQuery {
        PostgresQuery(unsafeSQL: "SELECT agency_id, measure || '+' AS measure, NULL::timestamptz AS at, n FROM " + rows
            + " r WHERE day IS NULL AND measure IN ('O', 'U', 'C')")  // Baton's own tables, never user text
    }

    /// The folded tally rows (`agency_id, measure, at, n`) of the statistics of `period`, for agencies under `underID`
    /// (all without it): its whole years and months from their sums (sql/0018_stats_rollups.sql), its other days by
    /// day (`ReportPeriod.cover`).
    static func keptStatsRows(_ underID: Int64?, _ period: ReportPeriod) -> PostgresQuery {
        let under = keptUnder(underID)
        let rows: [PostgresQuery] = period.cover.map { span in
            let (first, last) = (span.first.description, span.last.description)
            switch span.grain {
            case .day:
                return "SELECT agency_id, measure, at, n FROM stats_counts WHERE day BETWEEN \(first)::date AND \(last)::date AND "
                    + under
            case .month, .year:
                return "SELECT agency_id, measure, at, n FROM stats_rollups WHERE grain = \(span.grain.rawValue)::\"char\" "
                    + "AND starts BETWEEN \(first)::date AND \(last)::date AND " + under
            }
        }
        guard let first = rows.first else { return "SELECT agency_id, measure, at, n FROM stats_counts WHERE false" }
        return rows.dropFirst().reduce(first) { $0 + " UNION ALL " + $1 }
    }

    /// The statistics' changes not yet folded, of the days of `period`, likewise.
    static func keptStatsChanges(_ underID: Int64?, _ period: ReportPeriod) -> PostgresQuery {
        "SELECT agency_id, measure, at, n FROM task_count_changes WHERE day BETWEEN \(period.from.description)::date AND "
            + "\(period.to.description)::date AND " + keptUnder(underID)
    }

    private static func keptUnder(_ underID: Int64?) -> PostgresQuery {
        guard let underID else { return "true" }
        return "agency_id = ANY (ARRAY(" + agenciesAtOrBelow(underID) + "))"
    }
}

import BatonCore
import Foundation
import Postgres

extension BatonStore {
    /// Folds the counts' appended changes into their totals (sql/0015_kept_counts.sql). The timer loop does it on
    /// every sweep; reads are right without it (they add the unfolded changes), only slower as changes pile up.
    public func foldKeptCounts() async throws {
        try await pool.withConnection { conn in try Self.foldKeptCounts(conn) }
    }

    static func foldKeptCounts(_ conn: PostgresConnection) throws {
        try conn.query("SELECT baton_fold_counts()")
    }

    /// Where the kept counts differ from a recount of the tasks and cooperating parts as they are now, as
    /// `agency measure at day: kept ≠ counted` lines (an instant before what is settled counted as `-infinity`, as
    /// the fold settles it), and where a month's or year's sum differs from its days (`y 2026-01-01` in place of the
    /// day), and where an agency's row of settled sums differs from its rows (`settled board_agency_counts`): empty
    /// when every maintenance path did its part.
    public func keptCountsDrift() async throws -> [String] {
        try await pool.withConnection { conn in
            try conn.query("""
                SELECT d.agency_id, d.measure, CASE WHEN d.at < s.until THEN '-infinity' ELSE d.at END::text AS at,
                       d.day::text AS day, sum(d.kept)::bigint AS kept, sum(d.counted)::bigint AS counted
                FROM (SELECT agency_id, measure, at, NULL::date AS day, n AS kept, 0 AS counted FROM board_counts
                      UNION ALL SELECT agency_id, measure, at, day, n, 0 FROM stats_counts
                      UNION ALL SELECT agency_id, measure, at, day, n, 0 FROM task_count_changes
                      UNION ALL SELECT agency_id, measure, at, day, 0, 1 FROM task_tally
                      UNION ALL SELECT agency_id, measure, at, NULL, 0, n
                      FROM (\(fragment: Self.boardTotals(of: "(SELECT agency_id, measure, at, day, 1 AS n FROM task_tally)"))) counted_totals
                      UNION ALL SELECT agency_id, measure, at, NULL, n, 0
                      FROM (\(fragment: Self.boardTotals(of: "task_count_changes"))) kept_totals) d
                CROSS JOIN kept_counts_settled s
                GROUP BY 1, 2, 3, 4 HAVING sum(d.kept) <> sum(d.counted)
                UNION ALL
                SELECT r.agency_id, r.measure, r.at::text, r.grain::text || ' ' || r.starts, sum(r.kept), sum(r.counted)
                FROM (SELECT agency_id, measure, at, grain, starts, n AS kept, 0 AS counted FROM stats_rollups
                      UNION ALL SELECT agency_id, measure, at, g.grain, baton_grain_start(g.grain, day), 0, n
                      FROM stats_counts CROSS JOIN (VALUES ('m'::"char"), ('y'::"char")) g(grain)) r
                GROUP BY 1, 2, 3, 4 HAVING sum(r.kept) <> sum(r.counted)
                UNION ALL
                SELECT a.agency_id, a.measure, 'settled', 'board_agency_counts', sum(a.kept), sum(a.counted)
                FROM (SELECT s.agency_id, e.key AS measure, e.value::bigint AS kept, 0 AS counted
                      FROM board_agency_counts s CROSS JOIN jsonb_each_text(to_jsonb(s) - 'agency_id') e
                      UNION ALL SELECT agency_id, measure, 0, n FROM board_counts WHERE baton_board_settled(measure, at)) a
                GROUP BY 1, 2 HAVING sum(a.kept) <> sum(a.counted)
                ORDER BY 1, 2, 3, 4
                """).map { row in
                let at = try row.decode(String?.self, "at") ?? "-", day = try row.decode(String?.self, "day") ?? "-"
                return "\(try row.decode(Int64.self, "agency_id")) \(try row.decode(String.self, "measure")) \(at) \(day): "
                    + "kept \(try row.decode(Int64.self, "kept")) ≠ counted \(try row.decode(Int64.self, "counted"))"
            }
        }
    }
}

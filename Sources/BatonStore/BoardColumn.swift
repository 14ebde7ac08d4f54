import Postgres

/// The board's columns, in order (see `ReportColumn`): counted over the agency's own open and
/// closed leaf tasks `t` against the clock `now.t`, or over the cooperating parts `c` it still owes.
public enum BoardColumn: String, ReportColumn {
    case open
    case unacknowledged
    case overdue
    /// Open and due within 7 days.
    case dueSoon = "due_soon"
    case closed
    case closedOnTime = "closed_on_time"
    case closedLate = "closed_late"
    /// Closed on time over all closed; none without a closed task.
    case onTimeRate = "on_time_rate"
    /// Open, not acknowledged, and past the limit to acknowledge.
    case ackOverdue = "ack_overdue"
    /// Open tasks of its own with a difficulty waiting for an answer.
    case openDifficulties = "open_difficulties"
    /// Cooperating parts it still owes (no contribution yet) on open tasks, and those past their due time.
    case cooperatingOpen = "cooperating_open"
    case cooperatingOverdue = "cooperating_overdue"

    public var count: ReportCount? {
        switch self {
        case .open: .lead("t.open")
        case .unacknowledged: .lead("t.open AND t.acknowledged_at IS NULL")
        case .overdue: .lead("t.open AND t.due_at <= now.t")
        case .dueSoon: .lead("t.open AND t.due_at > now.t AND t.due_at <= now.t + interval '7 days'")
        case .closed: .lead("t.closed_at IS NOT NULL")
        case .closedOnTime: .lead("t.on_time")
        case .closedLate: .lead("t.on_time = false")
        case .onTimeRate: nil
        case .ackOverdue: .lead("t.open AND t.acknowledged_at IS NULL AND t.ack_due_at <= now.t")
        case .openDifficulties: .lead("t.open AND t.pending ? 'difficulty'")
        case .cooperatingOpen: .coop()
        case .cooperatingOverdue: .coop("coalesce(c.due_at, t.due_at) <= now.t")
        }
    }

    /// Which instants of a kept tally row a count takes: none (`untimed`: its measures never have one, their rows are
    /// at NULL — sql/0020's `baton_board_settled` relies on it), those due by the clock `now.t`, or those due within
    /// the 7 days after it.
    enum Instants { case untimed, due, dueSoon }

    /// The kept tally rows the column adds up (sql/0015_kept_counts.sql, 0019): of `measures`, those `instants`
    /// takes. `kept` and `settled` are its two readings.
    var tally: (measures: [String], instants: Instants)? {
        switch self {
        case .open: (["O+"], .untimed)
        case .unacknowledged: (["U+"], .untimed)
        case .overdue: (["O"], .due)
        case .dueSoon: (["O"], .dueSoon)
        case .closed: (["Bc-", "Bct", "Bcf"], .untimed)
        case .closedOnTime: (["B-t", "Bct"], .untimed)
        case .closedLate: (["B-f", "Bcf"], .untimed)
        case .onTimeRate: nil
        case .ackOverdue: (["U"], .due)
        case .openDifficulties: (["D"], .untimed)
        case .cooperatingOpen: (["C+"], .untimed)
        case .cooperatingOverdue: (["C"], .due)
        }
    }

    public var kept: ReportCount? {
        guard let (measures, instants) = tally, let source = count?.source else { return nil }
        // Baton's own measure names, never user text.
        var filter = PostgresQuery(unsafeSQL: "k.measure IN (" + measures.map { "'\($0)'" }.joined(separator: ", ") + ")")
        switch instants {
        case .untimed: break
        case .due: filter = filter + " AND k.at <= now.t"
        case .dueSoon: filter = filter + " AND k.at > now.t AND k.at <= now.t + interval '7 days'"
        }
        return ReportCount(source: source, filter: filter)
    }

    /// The part of the kept count that no clock changes, from an agency's row `s` of board_agency_counts
    /// (sql/0020_board_agency_counts.sql: its rows without an instant and its settled ones, which are due for every
    /// clock the kept counts serve): the sum of its measures' columns, or 0 for the instants of the next days.
    var settled: PostgresQuery? {
        guard let (measures, instants) = tally else { return nil }
        guard instants != .dueSoon else { return "0" }
        // Baton's own measure names, never user text.
        return PostgresQuery(unsafeSQL: measures.map { "coalesce(s.\"\($0)\", 0)" }.joined(separator: " + "))
    }

    public static let layout = ReportLayout<Self>()

    public func derived(_ count: (BoardColumn) -> Int) -> Double? {
        let onTime = count(.closedOnTime), late = count(.closedLate)
        return self == .onTimeRate && onTime + late > 0 ? Double(onTime) / Double(onTime + late) : nil
    }
}

extension AgencyCounts where Column == BoardColumn {
    /// The kept counts of the columns that compare instants with the clock, over tally rows `k` with an instant:
    /// `coalesce(sum(k.n) FILTER (WHERE …), 0)::bigint AS name, …` (the others count only rows without one).
    static var keptInstants: PostgresQuery {
        var q: PostgresQuery = ""
        for c in BoardColumn.allCases {
            guard let tally = c.tally, tally.instants != .untimed, let filter = c.kept?.filter else { continue }
            if !q.sql.isEmpty { q = q + ", " }
            // A column's name, never user text.
            q = q + "coalesce(sum(k.n) FILTER (WHERE " + filter + PostgresQuery(unsafeSQL: "), 0)::bigint AS \(c.rawValue)")
        }
        return q
    }

    /// Every counted column as the sum of an agency's row `s` of board_agency_counts, its row `i` of `keptInstants`
    /// and its row `c` of the kept counts of the unfolded changes (`kept(from:)`), any of them missing:
    /// `coalesce(s."O+", 0) + coalesce(c.open, 0) AS open, …`.
    static var keptSums: PostgresQuery {
        var q: PostgresQuery = ""
        for c in BoardColumn.allCases {
            guard let tally = c.tally, let settled = c.settled else { continue }
            if !q.sql.isEmpty { q = q + ", " }
            q = q + settled
            // A column's name, never user text.
            if tally.instants != .untimed { q = q + PostgresQuery(unsafeSQL: " + coalesce(i.\(c.rawValue), 0)") }
            q = q + PostgresQuery(unsafeSQL: " + coalesce(c.\(c.rawValue), 0) AS \(c.rawValue)")
        }
        return q
    }

    public var open: Int { self[.open] }
    public var unacknowledged: Int { self[.unacknowledged] }
    public var ackOverdue: Int { self[.ackOverdue] }
    public var overdue: Int { self[.overdue] }
    public var dueSoon: Int { self[.dueSoon] }
    public var closed: Int { self[.closed] }
    public var closedOnTime: Int { self[.closedOnTime] }
    public var closedLate: Int { self[.closedLate] }
    public var onTimeRate: Double? { derived(.onTimeRate) }
    public var openDifficulties: Int { self[.openDifficulties] }
    public var cooperatingOpen: Int { self[.cooperatingOpen] }
    public var cooperatingOverdue: Int { self[.cooperatingOverdue] }
}

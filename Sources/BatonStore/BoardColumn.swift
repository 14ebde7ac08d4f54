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

    public var kept: ReportCount? {
        switch self {
        case .open: .lead("k.measure = 'O+'")
        case .unacknowledged: .lead("k.measure = 'U+'")
        case .overdue: .lead("k.measure = 'O' AND k.at <= now.t")
        case .dueSoon: .lead("k.measure = 'O' AND k.at > now.t AND k.at <= now.t + interval '7 days'")
        case .closed: .lead("k.measure IN ('Bc-', 'Bct', 'Bcf')")
        case .closedOnTime: .lead("k.measure IN ('B-t', 'Bct')")
        case .closedLate: .lead("k.measure IN ('B-f', 'Bcf')")
        case .onTimeRate: nil
        case .ackOverdue: .lead("k.measure = 'U' AND k.at <= now.t")
        case .openDifficulties: .lead("k.measure = 'D'")
        case .cooperatingOpen: .coop("k.measure = 'C+'")
        case .cooperatingOverdue: .coop("k.measure = 'C' AND k.at <= now.t")
        }
    }

    public func derived(_ counts: [BoardColumn: Int]) -> Double? {
        let onTime = counts[.closedOnTime] ?? 0, late = counts[.closedLate] ?? 0
        return self == .onTimeRate && onTime + late > 0 ? Double(onTime) / Double(onTime + late) : nil
    }
}

extension AgencyCounts where Column == BoardColumn {
    public var open: Int { self[.open] }
    public var unacknowledged: Int { self[.unacknowledged] }
    public var ackOverdue: Int { self[.ackOverdue] }
    public var overdue: Int { self[.overdue] }
    public var dueSoon: Int { self[.dueSoon] }
    public var closed: Int { self[.closed] }
    public var closedOnTime: Int { self[.closedOnTime] }
    public var closedLate: Int { self[.closedLate] }
    public var onTimeRate: Double? { BoardColumn.onTimeRate.derived(counts) }
    public var openDifficulties: Int { self[.openDifficulties] }
    public var cooperatingOpen: Int { self[.cooperatingOpen] }
    public var cooperatingOverdue: Int { self[.cooperatingOverdue] }
}

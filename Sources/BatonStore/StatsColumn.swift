import Postgres

/// The statistics' columns, in order (see `ReportColumn`): the four buckets of Vietnamese task
/// reporting and tasks without a deadline, over the agency's own leaf tasks `t` of the period,
/// then its cooperating parts `c` due in the period, against the clock `now.t`.
public enum StatsColumn: String, ReportColumn {
    case closedOnTime = "closed_on_time"
    case closedLate = "closed_late"
    case openWithinTerm = "open_within_term"
    case openOverdue = "open_overdue"
    case noDeadline = "no_deadline"
    case cooperatingOnTime = "cooperating_on_time"
    case cooperatingLate = "cooperating_late"
    case cooperatingWithinTerm = "cooperating_within_term"
    case cooperatingOverdue = "cooperating_overdue"

    public var count: ReportCount? {
        switch self {
        case .closedOnTime: .lead("t.closed_at IS NOT NULL AND t.on_time")
        case .closedLate: .lead("t.closed_at IS NOT NULL AND NOT t.on_time")
        case .openWithinTerm: .lead("t.open AND t.due_at > now.t")
        case .openOverdue: .lead("t.open AND t.due_at <= now.t")
        case .noDeadline: .lead("t.due_at IS NULL")
        case .cooperatingOnTime: .coop("c.contributed_at IS NOT NULL AND c.contributed_at < coalesce(c.due_at, t.due_at)")
        case .cooperatingLate: .coop("c.contributed_at IS NOT NULL AND c.contributed_at >= coalesce(c.due_at, t.due_at)")
        case .cooperatingWithinTerm: .coop("c.contributed_at IS NULL AND t.open AND coalesce(c.due_at, t.due_at) > now.t")
        case .cooperatingOverdue: .coop("c.contributed_at IS NULL AND t.open AND coalesce(c.due_at, t.due_at) <= now.t")
        }
    }

    public static let layout = ReportLayout<Self>()

    public var kept: ReportCount? {
        switch self {
        case .closedOnTime: .lead("k.measure LIKE 'L_ct_'")
        case .closedLate: .lead("k.measure LIKE 'L_cf_'")
        case .openWithinTerm: .lead("k.measure LIKE 'Lo__d' AND k.at > now.t")
        case .openOverdue: .lead("k.measure LIKE 'Lo__d' AND k.at <= now.t")
        case .noDeadline: .lead("k.measure LIKE 'L___n'")
        case .cooperatingOnTime: .coop("k.measure LIKE 'S_t'")
        case .cooperatingLate: .coop("k.measure LIKE 'S_f'")
        case .cooperatingWithinTerm: .coop("k.measure = 'So-' AND k.at > now.t")
        case .cooperatingOverdue: .coop("k.measure = 'So-' AND k.at <= now.t")
        }
    }
}

extension AgencyCounts where Column == StatsColumn {
    public var closedOnTime: Int { self[.closedOnTime] }
    public var closedLate: Int { self[.closedLate] }
    public var openWithinTerm: Int { self[.openWithinTerm] }
    public var openOverdue: Int { self[.openOverdue] }
    public var noDeadline: Int { self[.noDeadline] }
    public var cooperatingOnTime: Int { self[.cooperatingOnTime] }
    public var cooperatingLate: Int { self[.cooperatingLate] }
    public var cooperatingWithinTerm: Int { self[.cooperatingWithinTerm] }
    public var cooperatingOverdue: Int { self[.cooperatingOverdue] }
}

import BatonCore
import Postgres

extension BatonStore {
    /// One ground of the visibility rule (`Viewer.Ground`) as SQL over tasks `t` and their plans `p`
    /// (read by the plan-wide grounds alone): the only SQL form of the rule. The matrix test checks that it
    /// agrees with `Viewer.holds`.
    ///
    /// The agency grounds are written as membership of `t`'s own columns in a set computed once per
    /// statement (the agencies at or below the viewer's, the tasks they cooperate on, the parents of the
    /// tasks they lead), so PostgreSQL reaches an officer's few hundred tasks through the task indexes
    /// (a bitmap OR of the lead and primary-key indexes) instead of testing every task: measured on the
    /// national dataset (`make bench-scale`), an officer's list went from seconds to milliseconds.
    static func sql(_ ground: Viewer.Ground, me: Int64?) -> PostgresQuery {
        if ground == .everything { return "true" }
        guard let me else { return "false" }
        let below = agenciesAtOrBelow(me)
        switch ground {
        case .everything: return "true"
        case .issuer: return "p.overseers @> ARRAY[\(me)]::bigint[]"
        case .monitor: return "p.monitors @> ARRAY[\(me)]::bigint[]"
        case .lead: return "t.lead_id = ANY (ARRAY(" + below + "))"
        case .cooperating:
            return "t.id = ANY (ARRAY(SELECT vc.task_id FROM task_cooperators vc WHERE vc.agency_id = ANY (ARRAY(" + below + "))))"
        case .childLead:
            return "(NOT t.leaf AND t.id = ANY (ARRAY(SELECT DISTINCT vch.parent_id FROM tasks vch WHERE vch.parent_id IS NOT NULL AND vch.lead_id = ANY (ARRAY(" + below + ")))))"
        }
    }

    /// Whether `sql` of any of `who`'s grounds reads the plan `p` (the plan-wide grounds); the others read `t` alone.
    static func taskVisibleReadsPlan(_ who: Principal?) -> Bool {
        who?.viewer.grounds.contains { ground in
            switch ground {
            case .issuer, .monitor: true
            case .everything, .lead, .cooperating, .childLead: false
            }
        } ?? false
    }

    /// The join that gives tasks `t` their plans `p` when `taskVisible(who)` reads them (or `also`, for a caller's own
    /// condition on `p`), else nothing: joined for nothing, a plan's 100,000 tasks were merged with all 290,000 plans
    /// at 10M (`make bench-scale`).
    static func plansForVisibility(_ who: Principal?, also: Bool = false) -> PostgresQuery {
        also || taskVisibleReadsPlan(who) ? "JOIN plans p ON p.id = t.plan_id" : ""
    }

    /// The ids of `agency` and every agency below it, as a subquery: the one SQL form of "at or below", for the
    /// viewer's grounds and for a report `under` an agency.
    static func agenciesAtOrBelow(_ agency: Int64) -> PostgresQuery {
        "SELECT ab.id FROM agencies ab WHERE ab.path @> ARRAY[\(agency)]::bigint[]"
    }

    /// Any of `grounds` for the caller, as SQL.
    static func anyOf(_ grounds: [Viewer.Ground], _ who: Principal) -> PostgresQuery {
        guard let first = grounds.first else { return "false" }
        var q: PostgresQuery = "(" + sql(first, me: who.agencyID) + ")"
        for ground in grounds.dropFirst() { q = q + " OR (" + sql(ground, me: who.agencyID) + ")" }
        return "(" + q + ")"
    }

    /// Tasks `t` (of plans `p`, joined when `taskVisibleReadsPlan`) the caller sees.
    static func taskVisible(_ who: Principal) -> PostgresQuery {
        anyOf(who.viewer.grounds, who)
    }

    /// Plans `p` the caller sees: on a plan-wide ground (issuer, monitor, admin), or holding a task it sees.
    static func planVisible(_ who: Principal) -> PostgresQuery {
        let grounds = who.viewer.grounds
        if grounds.contains(.everything) { return "true" }
        guard !grounds.isEmpty else { return "false" }
        return """
            EXISTS (SELECT 1 FROM tasks t
                    WHERE t.plan_id = p.id AND \(fragment: taskVisible(who)))
            OR \(fragment: planOwned(who))
            """
    }

    /// Plans `p` the caller sees whole: its plan-wide grounds alone.
    static func planOwned(_ who: Principal) -> PostgresQuery {
        anyOf(who.viewer.grounds.filter(\.isPlanWide), who)
    }

    /// Notifications `n` the caller sees: its own agency's inbox (`Viewer.seesNotification`).
    static func notificationVisible(_ who: Principal) -> PostgresQuery {
        guard let me = who.agencyID else { return "false" }
        return "n.agency_id = \(me)"
    }
}

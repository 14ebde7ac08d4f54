import BatonCore
import Postgres

extension BatonStore {
    /// The SQL form of "Who sees what" for tasks `t` of plans `p` with lead agencies `la`.
    /// Kept in step with `Viewer.canSee`, which decides the same for one loaded task.
    static func taskVisible(_ who: Principal) -> PostgresQuery {
        if who.isAdmin { return "true" }
        guard let me = who.agencyID else { return "false" }
        var parts: [PostgresQuery] = []
        if who.has(.committee) { parts.append("p.overseers @> ARRAY[\(me)]::bigint[]") }
        if who.has(.coordinator) { parts.append("(p.overseers @> ARRAY[\(me)]::bigint[] OR p.monitors @> ARRAY[\(me)]::bigint[])") }
        if who.has(.officer) || who.has(.viewer) {
            parts.append("""
                la.path @> ARRAY[\(me)]::bigint[]
                OR EXISTS (SELECT 1 FROM task_cooperators vc JOIN agencies vca ON vca.id = vc.agency_id
                           WHERE vc.task_id = t.id AND vca.path @> ARRAY[\(me)]::bigint[])
                OR (NOT t.leaf AND EXISTS (SELECT 1 FROM tasks vch JOIN agencies vcha ON vcha.id = vch.lead_id
                                           WHERE vch.parent_id = t.id AND vcha.path @> ARRAY[\(me)]::bigint[]))
                """)
        }
        guard var q = parts.first.map({ "(" + $0 + ")" as PostgresQuery }) else { return "false" }
        for part in parts.dropFirst() { q = q + " OR (" + part + ")" }
        return "(" + q + ")"
    }

    /// Plans `p` the caller sees: issued or monitored by its agency per role, or holding a task it sees.
    static func planVisible(_ who: Principal) -> PostgresQuery {
        if who.isAdmin { return "true" }
        guard who.agencyID != nil else { return "false" }
        return """
            EXISTS (SELECT 1 FROM tasks t LEFT JOIN agencies la ON la.id = t.lead_id
                    WHERE t.plan_id = p.id AND \(fragment: taskVisible(who)))
            OR \(fragment: planOwned(who))
            """
    }

    /// Plans the caller's agency issued or oversees through a cascade (as committee), or also monitors (as coordinator).
    static func planOwned(_ who: Principal) -> PostgresQuery {
        guard let me = who.agencyID else { return "false" }
        var q: PostgresQuery = "false"
        if who.has(.committee) { q = q + " OR p.overseers @> ARRAY[\(me)]::bigint[]" }
        if who.has(.coordinator) { q = q + " OR p.overseers @> ARRAY[\(me)]::bigint[] OR p.monitors @> ARRAY[\(me)]::bigint[]" }
        return "(" + q + ")"
    }
}

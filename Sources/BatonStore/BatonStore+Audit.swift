import BatonCore
import Foundation
import Postgres

/// What `baton audit verify` found.
public struct AuditReport: Sendable, Hashable {
    /// The first broken link, in plan, task and event order.
    public struct Break: Sendable, Hashable {
        public let plan: String
        public let task: UUID
        /// The event whose hash or link does not hold; for a task whose last events are gone, its last event left.
        public let seq: Int
        public let problem: String
    }
    public let tasks: Int
    public let events: Int
    public let firstBreak: Break?
}

extension BatonStore {
    /// Recomputes every event's hash from its content and the previous event's stored hash, by the rule of
    /// the event's `hash_form` (`baton_event_hash` for the first, `baton_event_hash_2` for the second, in
    /// `sql/`; a form no rule knows is a broken link), checks each task's events run 1, 2, … up to the task's own count,
    /// and names the first link that does not hold. `plan` limits it to one plan (by number or id).
    public func verifyAudit(plan: String?) async throws -> AuditReport {
        var only: UUID?
        if let plan { only = try await self.planID(plan) }
        let planID = only
        return try await pool.withConnection { conn in
            let rows = try conn.query("""
                WITH e AS (
                    SELECT ev.task_id, ev.seq, ev.hash, t.plan_id, t.seq AS task_seq,
                           lag(ev.seq) OVER w AS prev_seq,
                           CASE ev.hash_form
                               WHEN 1 THEN baton_event_hash(lag(ev.hash) OVER w, ev.task_id, ev.seq, ev.at, ev.actor_id, ev.actor,
                                                            ev.agency_id, ev.name, ev.from_state, ev.to_state, ev.note, ev.params)
                               WHEN 2 THEN baton_event_hash_2(lag(ev.hash) OVER w, ev.task_id, ev.seq, ev.at, ev.actor_id, ev.actor,
                                                              ev.agency_id, ev.name, ev.from_state, ev.to_state, ev.note, ev.params)
                           END AS expected,
                           max(ev.seq) OVER (PARTITION BY ev.task_id) AS last_seq
                    FROM task_events ev JOIN tasks t ON t.id = ev.task_id
                    WHERE \(planID)::uuid IS NULL OR t.plan_id = \(planID)
                    WINDOW w AS (PARTITION BY ev.task_id ORDER BY ev.seq)
                ), checked AS (
                    SELECT e.*, CASE
                        WHEN e.seq <> coalesce(e.prev_seq, 0) + 1 THEN 'the events before it are missing or out of order'
                        WHEN e.hash IS DISTINCT FROM e.expected THEN 'its content or its link to the event before was altered'
                        WHEN e.seq = e.last_seq AND e.task_seq > e.seq THEN 'the events after it are missing'
                        END AS problem
                    FROM e
                    UNION ALL
                    SELECT t.id, 0, NULL, t.plan_id, t.seq, NULL, NULL, 0, 'its whole history is missing'
                    FROM tasks t
                    WHERE (\(planID)::uuid IS NULL OR t.plan_id = \(planID)) AND NOT EXISTS (SELECT 1 FROM task_events ev WHERE ev.task_id = t.id)
                )
                SELECT (SELECT count(DISTINCT task_id) FROM checked) AS tasks, (SELECT count(*) FROM checked WHERE seq > 0) AS events,
                       p.number, c.task_id, c.seq, c.problem
                FROM (SELECT 1) one
                LEFT JOIN LATERAL (SELECT * FROM checked WHERE problem IS NOT NULL ORDER BY plan_id, task_id, seq LIMIT 1) c ON true
                LEFT JOIN plans p ON p.id = c.plan_id
                """)
            let r = rows[0]
            var found: AuditReport.Break?
            if let task = try r.decode(UUID?.self, "task_id") {
                found = .init(plan: try r.decode(String?.self, "number") ?? "", task: task, seq: try r.decode(Int.self, "seq"),
                              problem: try r.decode(String.self, "problem"))
            }
            return AuditReport(tasks: try r.decode(Int.self, "tasks"), events: try r.decode(Int.self, "events"), firstBreak: found)
        }
    }
}

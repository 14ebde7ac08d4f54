import BatonCore
import Foundation
import Postgres

extension BatonStore {
    /// Opens an incident report (báo cáo nhanh) under a plan: any officer whose agency takes part in
    /// the plan may, at any time. It goes at once to the plan's committee and its monitor.
    public func reportIncident(planID: UUID, title: String, description: String?, by who: Principal) async throws -> TaskRecord {
        let id = try await pool.transaction { conn -> UUID in
            guard let row = try conn.query("""
                SELECT p.id, p.issuer_id, p.monitor_id, p.time_zone, p.calendar, (\(fragment: Self.planVisible(who))) AS visible, baton_now() AS now
                FROM plans p WHERE p.id = \(planID)
                """).single, try row.decode(Bool.self, "visible") else {
                throw BatonError.notFound("plan \(planID.lower)")
            }
            guard who.has(.officer), let agency = who.agencyID else {
                throw BatonError(.forbidden, "an officer of an agency reports incidents")
            }
            let now = try row.decode(Date.self, "now")
            let workflow = try self.currentWorkflow(conn, name: "incident", field: "workflow")
            let deadlines = try self.deadlines(conn, zone: try row.decode(String.self, "time_zone"), calendar: try row.decode(String.self, "calendar"))
            let id = try conn.query("""
                INSERT INTO tasks (plan_id, kind, title, description, workflow_id, state, open, lead_id, ack_due_at, created_at, created_by, updated_at)
                VALUES (\(planID), 'incident', \(title), \(description), \(workflow.id), \(workflow.definition.initial), true, \(agency),
                        \(deadlines.acknowledgeBy(assignedAt: now, within: workflow.definition.settings.acknowledgeWithin)), \(now), \(who.userID), \(now))
                RETURNING id
                """)[0].decode(UUID.self, "id")
            try conn.query("""
                WITH e AS (
                    INSERT INTO task_events (task_id, seq, at, actor_id, actor, agency_id, name, from_state, to_state, params)
                    VALUES (\(id), 1, \(now), \(who.userID), \(who.login), \(agency), 'report', NULL, \(workflow.definition.initial), '{}'::jsonb)
                ), o AS (
                    INSERT INTO outbox (task_id, event_seq)
                    VALUES (\(id), 1)
                )
                INSERT INTO notifications (agency_id, task_id, event_seq, kind, created_at)
                SELECT DISTINCT r.agency, \(id)::uuid, 1, 'incident', \(now)::timestamptz
                FROM unnest(ARRAY[\(try row.decode(Int64.self, "issuer_id")), \(try row.decode(Int64?.self, "monitor_id"))]::bigint[]) AS r(agency)
                WHERE r.agency IS NOT NULL
                """)
            return id
        }
        return try await visibleTask(id: id, for: who).record
    }
}

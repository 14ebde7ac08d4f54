import BatonCore
import Foundation
import Postgres

/// What merging one agency into another moved.
public struct MergeResult: Sendable, Hashable {
    public let tasksLed: Int
    /// Fan-out children and occurrences `from` led where `into` already had its own: cancelled, not moved.
    public let superseded: Int
    public let cooperating: Int
    public let users: Int
    public let children: Int
    /// Plans `from` issued or monitored (or oversaw from above) that `into` now holds.
    public let plans: Int
}

extension BatonStore {
    /// Renames an agency; the former name is kept with the time it was replaced.
    public func renameAgency(code: String, name: String) async throws -> AgencyRecord {
        let name = try Text.words(.string(name), field: "name", max: 500)!
        return try await pool.transaction { conn in
            guard let row = try conn.query("SELECT id, name FROM agencies WHERE code = \(code) FOR UPDATE").single else {
                throw BatonError.notFound("agency \(code)")
            }
            let id = try row.decode(Int64.self, "id")
            guard try row.decode(String.self, "name") != name else { throw BatonError.invalid("name", "\(code) already has this name") }
            try conn.query("INSERT INTO agency_names (agency_id, name, until) SELECT id, name, baton_now() FROM agencies WHERE id = \(id)")
            try conn.query("UPDATE agencies SET name = \(name) WHERE id = \(id)")
            try conn.query("SELECT pg_notify('baton_auth', 'agency')")
            return try Self.agency(conn, code: code)!
        }
    }

    /// Deactivates an agency: it receives no new fan-out and cannot be named for new work.
    public func deactivateAgency(code: String) async throws {
        try await pool.withConnection { conn in
            guard try conn.query("UPDATE agencies SET active = false WHERE code = \(code) AND active RETURNING id").count == 1 else {
                throw BatonError.invalid("code", "no active agency has the code \(code)")
            }
        }
    }

    /// Merges agency `from` into `into` (2025's merged provinces and abolished districts): every open
    /// task `from` leads or cooperates on moves to `into` with a `merge` event on each, `from`'s
    /// users, sub-agencies and plans move too, and `from` is deactivated. History stays as it was:
    /// past events still name `from`.
    ///
    /// A fan-out gives each agency one task, so where `into` already has its own child of the same
    /// fan-out (or its own open occurrence of the same recurring task, or one due at the same time),
    /// `from`'s open copy is not moved but cancelled, its `merge` event naming the task that goes on.
    public func mergeAgency(_ from: String, into: String) async throws -> MergeResult {
        guard from != into else { throw BatonError.invalid("into", "an agency cannot merge into itself") }
        return try await pool.transaction { conn in
            let ids = try Self.agencyIDs(conn, codes: [from, into]) { $0 == 0 ? "from" : "into" }
            let (a, b) = (ids[0], ids[1])
            guard try conn.query("SELECT 1 AS one FROM agencies WHERE id = \(b) AND path @> ARRAY[\(a)]::bigint[]").isEmpty else {
                throw BatonError.invalid("into", "\(into) is under \(from); merge it the other way or move it first")
            }
            let params = JSONValue.object(["from": .string(from), "to": .string(into)]).jsonText
            let superseded = try self.supersedeDuplicates(conn, from: (a, from), into: (b, into))
            // Tasks it leads: the lead moves (and `into` stops cooperating on them, leading instead).
            let led = try conn.query("""
                WITH moved AS (
                    UPDATE tasks t SET lead_id = \(b), version = t.version + 1, seq = t.seq + 1, updated_at = baton_now()
                    WHERE t.lead_id = \(a) AND t.open
                    RETURNING t.id, t.seq, t.state
                ), unco AS (
                    DELETE FROM task_cooperators c USING moved WHERE c.task_id = moved.id AND c.agency_id = \(b)
                ), ev AS (
                    INSERT INTO task_events (task_id, seq, at, actor, agency_id, name, from_state, to_state, params)
                    SELECT id, seq, baton_now(), 'baton', \(b), 'merge', state, state, \(params)::jsonb FROM moved
                ), ob AS (
                    INSERT INTO outbox (task_id, event_seq, topic, payload)
                    SELECT id, seq, 'task.merge', jsonb_build_object('task', id::text, 'event', 'merge') FROM moved
                ), nt AS (
                    INSERT INTO notifications (agency_id, task_id, event_seq, kind, created_at)
                    SELECT \(b), id, seq, 'merge', baton_now() FROM moved
                )
                SELECT count(*) AS n FROM moved
                """)[0].decode(Int.self, "n")
            // Tasks it cooperates on: its part moves, unless `into` already takes part.
            let cooperating = try conn.query("""
                WITH parts AS (
                    SELECT c.task_id, EXISTS (SELECT 1 FROM task_cooperators x WHERE x.task_id = c.task_id AND x.agency_id = \(b))
                                      OR t.lead_id = \(b) AS taken
                    FROM task_cooperators c JOIN tasks t ON t.id = c.task_id
                    WHERE c.agency_id = \(a) AND t.open
                ), dropped AS (
                    DELETE FROM task_cooperators c USING parts WHERE c.task_id = parts.task_id AND c.agency_id = \(a) AND parts.taken
                ), moved AS (
                    UPDATE task_cooperators c SET agency_id = \(b) FROM parts WHERE c.task_id = parts.task_id AND c.agency_id = \(a) AND NOT parts.taken
                ), bump AS (
                    UPDATE tasks t SET version = t.version + 1, seq = t.seq + 1, updated_at = baton_now()
                    FROM parts WHERE t.id = parts.task_id
                    RETURNING t.id, t.seq, t.state
                ), ev AS (
                    INSERT INTO task_events (task_id, seq, at, actor, agency_id, name, from_state, to_state, params)
                    SELECT id, seq, baton_now(), 'baton', \(b), 'merge', state, state, \(params)::jsonb FROM bump
                ), ob AS (
                    INSERT INTO outbox (task_id, event_seq, topic, payload)
                    SELECT id, seq, 'task.merge', jsonb_build_object('task', id::text, 'event', 'merge') FROM bump
                )
                SELECT count(*) AS n FROM bump
                """)[0].decode(Int.self, "n")
            let users = try conn.query("UPDATE users SET agency_id = \(b) WHERE agency_id = \(a)").affectedRows
            // Plans it issued or monitors, and the plans below them that it oversees.
            let plans = try conn.query("""
                UPDATE plans SET issuer_id = CASE WHEN issuer_id = \(a) THEN \(b) ELSE issuer_id END,
                                 monitor_id = CASE WHEN monitor_id = \(a) THEN \(b) ELSE monitor_id END,
                                 overseers = array_replace(overseers, \(a)::bigint, \(b)::bigint),
                                 monitors = array_replace(monitors, \(a)::bigint, \(b)::bigint)
                WHERE overseers @> ARRAY[\(a)]::bigint[] OR monitors @> ARRAY[\(a)]::bigint[] OR issuer_id = \(a) OR monitor_id = \(a)
                """).affectedRows
            // Sub-agencies move under `into`; their whole subtrees' paths follow.
            let children = try conn.query("SELECT id FROM agencies WHERE parent_id = \(a)").map { try $0.decode(Int64.self, "id") }
            for child in children {
                try conn.query("UPDATE agencies SET parent_id = \(b) WHERE id = \(child)")
                try conn.query("""
                    UPDATE agencies d SET path = x.path || d.path[array_position(d.path, x.id) + 1:]
                    FROM agencies x WHERE x.id = \(child) AND d.path @> ARRAY[\(child)]::bigint[] AND d.id <> x.id
                    """)
            }
            try conn.query("UPDATE agencies SET active = false, merged_into = \(b) WHERE id = \(a)")
            try conn.query("SELECT pg_notify('baton_auth', 'merge')")
            return MergeResult(tasksLed: led, superseded: superseded, cooperating: cooperating, users: users,
                               children: children.count, plans: plans)
        }
    }

    /// Cancels `from`'s open children that `into` already has a counterpart of (see `mergeAgency`),
    /// each with a `merge` event naming the counterpart; closes parents left with nothing open.
    func supersedeDuplicates(_ conn: PostgresConnection, from: (id: Int64, code: String), into: (id: Int64, code: String)) throws -> Int {
        let rows = try conn.query("""
            SELECT c.id, c.workflow_id, p.id AS parent_id, p.workflow_id AS parent_workflow_id,
                   (SELECT s.id FROM tasks s
                     WHERE s.parent_id = c.parent_id AND s.lead_id = \(into.id)
                       AND (s.open OR p.recurrence IS NULL OR s.due_at = c.due_at)
                     ORDER BY s.open DESC, s.due_at LIMIT 1) AS counterpart
            FROM tasks c JOIN tasks p ON p.id = c.parent_id
            WHERE c.lead_id = \(from.id) AND c.open
            FOR UPDATE OF c
            """)
        var parents: [UUID: Int64] = [:]
        var count = 0
        for row in rows {
            guard let counterpart = try row.decode(UUID?.self, "counterpart") else { continue }
            let id = try row.decode(UUID.self, "id")
            let definition = try definition(conn, id: try row.decode(Int64.self, "workflow_id"))
            let cancelled = definition.transitions.first { $0.effect == .cancel }?.to ?? "cancelled"
            let params = JSONValue.object(["from": .string(from.code), "to": .string(into.code),
                                           "superseded_by": .string(counterpart.lower)]).jsonText
            try conn.query("""
                WITH u AS (
                    UPDATE tasks t SET state = \(cancelled), open = false, pending = '{}'::jsonb,
                           version = t.version + 1, seq = t.seq + 1, updated_at = baton_now()
                    FROM tasks old WHERE old.id = t.id AND t.id = \(id)
                    RETURNING t.id, t.seq, old.state AS from_state
                ), e AS (
                    INSERT INTO task_events (task_id, seq, at, actor, agency_id, name, from_state, to_state, note, params)
                    SELECT id, seq, baton_now(), 'baton', \(into.id)::bigint, 'merge', from_state, \(cancelled)::text,
                           \(from.code + " merged into " + into.code + ", whose own task goes on")::text, \(params)::jsonb FROM u
                ), o AS (
                    INSERT INTO outbox (task_id, event_seq, topic, payload)
                    SELECT id, seq, 'task.merge', jsonb_build_object('task', id::text, 'event', 'merge') FROM u
                )
                INSERT INTO notifications (agency_id, task_id, event_seq, kind, created_at)
                SELECT \(into.id), id, seq, 'merge', baton_now() FROM u
                """)
            parents[try row.decode(UUID.self, "parent_id")] = try row.decode(Int64.self, "parent_workflow_id")
            count += 1
        }
        for (parent, workflow) in parents {
            if let close = Self.closeParentQuery(parent, definition: try definition(conn, id: workflow)) { try conn.query(close) }
        }
        return count
    }
}

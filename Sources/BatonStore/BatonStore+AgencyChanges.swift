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
        let name = try Text.words(.string(name), field: "name", max: AgencySpec.nameLimit)!
        return try await changingAuth { try await pool.transaction { conn in
            guard let row = try conn.query("SELECT id, name FROM agencies WHERE code = \(code) FOR UPDATE").single else {
                throw BatonError.notFound("agency \(code)")
            }
            let id = try row.decode(Int64.self, "id")
            guard try row.decode(String.self, "name") != name else { throw BatonError.invalid("name", "\(code) already has this name") }
            try conn.query("INSERT INTO agency_names (agency_id, name, until) SELECT id, name, baton_now() FROM agencies WHERE id = \(id)")
            try conn.query("UPDATE agencies SET name = \(name) WHERE id = \(id)")
            try conn.query("SELECT pg_notify('baton_auth', 'agency')")
            return try Self.agency(conn, code: code)!
        } }
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
        return try await changingAuth { try await pool.transaction { conn in
            let ids = try Self.agencyIDs(conn, codes: [from, into]) { $0 == 0 ? "from" : "into" }
            let (a, b) = (ids[0], ids[1])
            guard try conn.query("SELECT 1 AS one FROM agencies WHERE id = \(b) AND path @> ARRAY[\(a)]::bigint[]").isEmpty else {
                throw BatonError.invalid("into", "\(into) is under \(from); merge it the other way or move it first")
            }
            let params = JSONValue.object(["from": .string(from), "to": .string(into)]).jsonText
            let superseded = try self.supersedeDuplicates(conn, from: (a, from), into: (b, into))
            // Tasks it leads: the lead moves (and `into` stops cooperating on them, leading instead).
            let led = try conn.query("""
                WITH changed AS (
                    UPDATE tasks t SET lead_id = \(b), version = t.version + 1, seq = t.seq + 1, updated_at = baton_now()
                    WHERE t.lead_id = \(a) AND t.open
                    RETURNING t.id, t.seq, t.state AS from_state, t.state AS to_state, \(params)::jsonb AS params
                ), unco AS (
                    DELETE FROM task_cooperators c USING changed WHERE c.task_id = changed.id AND c.agency_id = \(b)
                )
                """ + Self.recordMerges(into: b, note: nil, notify: true))[0].decode(Int.self, "n")
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
                ), changed AS (
                    UPDATE tasks t SET version = t.version + 1, seq = t.seq + 1, updated_at = baton_now()
                    FROM parts WHERE t.id = parts.task_id
                    RETURNING t.id, t.seq, t.state AS from_state, t.state AS to_state, \(params)::jsonb AS params
                )
                """ + Self.recordMerges(into: b, note: nil, notify: false))[0].decode(Int.self, "n")
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
        } }
    }

    /// The tail of a merge statement whose `changed` CTE returns (id, seq, from_state, to_state, params)
    /// of the tasks it changed: a `merge` event and an outbox row for each, `into`'s notification when
    /// `notify`, and how many (`n`).
    static func recordMerges(into: Int64, note: String?, notify: Bool) -> PostgresQuery {
        var q: PostgresQuery = """
            , merge_events AS (
                INSERT INTO task_events (task_id, seq, at, actor, agency_id, name, from_state, to_state, note, params)
                SELECT id, seq, baton_now(), 'baton', \(into)::bigint, 'merge', from_state, to_state, \(note)::text, params FROM changed
            ), merge_outbox AS (
                INSERT INTO outbox (task_id, event_seq)
                SELECT id, seq FROM changed
            )
            """
        if notify {
            q = q + """
                , merge_notifications AS (
                    INSERT INTO notifications (agency_id, task_id, event_seq, kind, created_at)
                    SELECT \(into)::bigint, id, seq, 'merge', baton_now() FROM changed
                )
                """
        }
        return q + " SELECT count(*) AS n FROM changed"
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
        var ids: [UUID] = [], states: [String] = [], counterparts: [UUID] = []
        var parents: [UUID: Int64] = [:]
        for row in rows {
            guard let counterpart = try row.decode(UUID?.self, "counterpart") else { continue }
            let workflow = try definition(conn, id: try row.decode(Int64.self, "workflow_id"))
            guard let cancelled = workflow.target(of: .cancel) else {
                throw BatonError(.conflict, "\(from.code) and \(into.code) both have a task of the same fan-out, and its workflow \(workflow.name) cannot cancel one")
            }
            ids.append(try row.decode(UUID.self, "id"))
            states.append(cancelled)
            counterparts.append(counterpart)
            parents[try row.decode(UUID.self, "parent_id")] = try row.decode(Int64.self, "parent_workflow_id")
        }
        guard !ids.isEmpty else { return 0 }
        let params = JSONValue.object(["from": .string(from.code), "to": .string(into.code)]).jsonText
        let count = try conn.query("""
            WITH x AS (
                SELECT * FROM unnest(\(ids)::uuid[], \(states)::text[], \(counterparts)::uuid[]) AS x(id, state, counterpart)
            ), changed AS (
                UPDATE tasks t SET state = x.state, open = false, pending = '{}'::jsonb,
                       version = t.version + 1, seq = t.seq + 1, updated_at = baton_now()
                FROM x, tasks old WHERE t.id = x.id AND old.id = x.id
                RETURNING t.id, t.seq, old.state AS from_state, t.state AS to_state,
                          \(params)::jsonb || jsonb_build_object('superseded_by', x.counterpart::text) AS params
            )
            """ + Self.recordMerges(into: into.id, note: "\(from.code) merged into \(into.code), whose own task goes on", notify: true))[0].decode(Int.self, "n")
        for (parent, workflow) in parents {
            if let close = Self.closeParentQuery(parent, definition: try definition(conn, id: workflow)) { try conn.query(close) }
        }
        return count
    }
}

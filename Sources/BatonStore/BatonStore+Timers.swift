import BatonCore
import Foundation
import Postgres
import Synchronization

/// What one sweep did.
public struct SweepReport: Sendable, Hashable {
    /// Timers fired, by kind (`remind:3`, `overdue`, `escalate`…).
    public var fired: [String: Int] = [:]
    /// Recurring occurrences opened.
    public var opened = 0
    /// Whether another process held the sweep (this one then did nothing).
    public var skipped = false

    public var total: Int { fired.values.reduce(0, +) + opened }
}

extension BatonStore {
    /// Advisory lock key: one sweeper at a time across every `baton serve`.
    static let sweepLock: Int64 = 7_274_143_013

    /// Fires every due timer once (reminders, overdue marks, escalations) and opens due recurring
    /// occurrences, each with its event and notifications in the same transaction.
    ///
    /// Safe with several processes: the sweeper holds an advisory lock, and the writes themselves are
    /// fenced (a timer row is marked fired in the statement that writes its event; an occurrence is
    /// unique per parent, agency and due time), so nothing fires twice even without the lock.
    /// - Parameter wait: wait for another process's sweep to finish, then sweep (one-off runs);
    ///   otherwise leave the round to it (the timer loop).
    /// - Parameter workers: connections firing timers at once when many are due (this one and fresh ones).
    public func sweep(batch: Int = 2_000, workers: Int = 2, wait: Bool = false) async throws -> SweepReport {
        try await pool.withConnection { conn in
            if wait {
                try conn.query("SELECT pg_advisory_lock(\(Self.sweepLock))")
            } else if try !conn.query("SELECT pg_try_advisory_lock(\(Self.sweepLock)) AS ok")[0].decode(Bool.self, "ok") {
                return SweepReport(skipped: true)
            }
            defer { _ = try? conn.query("SELECT pg_advisory_unlock(\(Self.sweepLock))") }
            var report = SweepReport()
            // A reminder whose moment has passed (the due time itself, or a later reminder for it) is
            // dropped unsent: after an outage nobody is told "due in 3 working days" of a task due today.
            try conn.query("""
                DELETE FROM task_timers tm
                WHERE tm.fired_at IS NULL AND tm.kind LIKE 'remind:%' AND tm.fire_at <= baton_now()
                  AND (tm.due_at <= baton_now()
                       OR EXISTS (SELECT 1 FROM task_timers l
                                  WHERE l.task_id = tm.task_id AND l.due_at = tm.due_at AND l.kind LIKE 'remind:%'
                                    AND l.fired_at IS NULL AND l.fire_at > tm.fire_at AND l.fire_at <= baton_now()))
                """)
            report.fired = try self.fireDueTimers(conn, batch: batch, workers: workers)
            report.opened = try self.openOccurrences(conn)
            // Children that finished at the same moment may each have seen the other still open.
            for row in try conn.query("""
                SELECT t.id, t.workflow_id FROM tasks t
                WHERE t.open AND t.fanout IS NOT NULL AND t.recurrence IS NULL
                  AND NOT EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = t.id AND c.open)
                  AND EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = t.id AND c.closed_at IS NOT NULL)
                """) {
                let definition = try self.definition(conn, id: try row.decode(Int64.self, "workflow_id"))
                if let q = Self.closeParentQuery(try row.decode(UUID.self, "id"), definition: definition) { try conn.query(q) }
            }
            try conn.query("""
                DELETE FROM task_timers tm USING tasks t
                WHERE t.id = tm.task_id AND tm.fired_at IS NULL AND tm.fire_at <= baton_now()
                  AND (NOT t.open OR t.due_at IS DISTINCT FROM tm.due_at)
                """)
            try conn.query("DELETE FROM idempotency_keys WHERE created_at < now() - interval '1 day'")
            // Sign-in failures and sessions a day after they stopped counting.
            try conn.query("DELETE FROM signin_failures WHERE at < baton_now() - interval '1 day'")
            try conn.query("""
                DELETE FROM sessions
                WHERE least(ended_at, ends_at, seen_at + idle_limit) < baton_now() - interval '1 day'
                """)
            try conn.query("DELETE FROM outbox WHERE relayed_at < now() - interval '7 days'")
            try Self.foldKeptCounts(conn)
            return report
        }
    }

    /// Fires every due timer, batch by batch, and counts them by kind. When the first batch comes back at
    /// least half full, `workers - 1` more connections fire batches beside this one until none is left: each batch
    /// locks its timers and their tasks and skips those another holds, so no timer fires twice and no two
    /// batches wait on each other. (A million tasks crossing their due time together took 80 s on one
    /// connection; PostgreSQL then used one core of two.)
    func fireDueTimers(_ conn: PostgresConnection, batch: Int, workers: Int) throws -> [String: Int] {
        let counts = Mutex<[String: Int]>([:])
        @Sendable func fire(_ c: PostgresConnection) throws -> Int {
            let rows = try c.query(Self.fireTimers(batch: batch))
            var kinds: [String: Int] = [:]
            for row in rows { kinds[try row.decode(String.self, "kind"), default: 0] += 1 }
            counts.withLock { all in all.merge(kinds, uniquingKeysWith: +) }
            return rows.count
        }
        let first = try fire(conn)
        guard first > 0 else { return [:] }
        if first < batch / 2 || workers < 2 {
            while try fire(conn) > 0 {}
            return counts.withLock { $0 }
        }
        let failure = Mutex<(any Error)?>(nil)
        let configuration = pool.pool.configuration
        let logger = self.logger
        DispatchQueue.concurrentPerform(iterations: workers) { i in
            // A connection the database cannot spare (max_connections) leaves the firing to the others.
            guard let c = i == 0 ? conn : try? PostgresConnection(configuration) else { return }
            defer { if i > 0 { c.close() } }
            do {
                while try fire(c) > 0 {}
            } catch where i > 0 {
                // This connection's batch rolled back: what it held is fired by the other connection or by the
                // next sweep, and the rest of this one (occurrences, clean-ups, folding the counts) still runs.
                logger.warning("a timer sweep connection failed; the others go on", metadata: ["error": "\(error)"])
            } catch {
                failure.withLock { $0 = $0 ?? error }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return counts.withLock { $0 }
    }

    /// One statement: the next batch of due timers, at most one per task, each with its event,
    /// outbox row and notifications. Returns the kinds fired. The timers and their tasks are locked as
    /// they are chosen, skipping any another transaction holds (a parallel batch, or a transition that
    /// would otherwise wait on this batch's timer while this batch waited on its task).
    static func fireTimers(batch: Int) -> PostgresQuery {
        """
        WITH now AS (SELECT baton_now() AS t),
        candidates AS (
            SELECT tm.task_id, tm.kind, tm.due_at, tm.fire_at
            FROM task_timers tm JOIN tasks t ON t.id = tm.task_id
            WHERE tm.fired_at IS NULL AND tm.fire_at <= (SELECT t FROM now) AND t.open AND t.due_at = tm.due_at
            ORDER BY tm.fire_at
            LIMIT \(batch)
            FOR UPDATE OF tm, t SKIP LOCKED
        ), due AS (
            SELECT DISTINCT ON (task_id) task_id, kind, due_at FROM candidates ORDER BY task_id, fire_at
        ), fired AS (
            UPDATE task_timers tm SET fired_at = (SELECT t FROM now)
            FROM due WHERE tm.task_id = due.task_id AND tm.kind = due.kind AND tm.due_at = due.due_at AND tm.fired_at IS NULL
            RETURNING tm.task_id, tm.kind, tm.due_at
        ), bump AS (
            UPDATE tasks t SET seq = t.seq + 1 FROM fired WHERE t.id = fired.task_id
            RETURNING t.id, t.seq, t.state, t.lead_id, t.plan_id, fired.kind, fired.due_at,
                      CASE WHEN fired.kind LIKE 'remind:%' THEN 'remind' ELSE fired.kind END AS name
        ), ev AS (
            INSERT INTO task_events (task_id, seq, at, actor, name, from_state, to_state, params)
            SELECT b.id, b.seq, (SELECT t FROM now), 'baton', b.name, b.state, b.state,
                   CASE WHEN b.kind LIKE 'remind:%'
                        THEN jsonb_build_object('working_days_before', split_part(b.kind, ':', 2)::int,
                                                'due_at', baton_rfc3339(b.due_at, p.time_zone))
                        ELSE jsonb_build_object('due_at', baton_rfc3339(b.due_at, p.time_zone)) END
            FROM bump b JOIN plans p ON p.id = b.plan_id
        ), ob AS (
            INSERT INTO outbox (task_id, event_seq)
            SELECT b.id, b.seq FROM bump b
        ), nt AS (
            INSERT INTO notifications (agency_id, task_id, event_seq, kind, created_at)
            SELECT r.agency, b.id, b.seq, b.name, (SELECT t FROM now)
            FROM bump b JOIN plans p ON p.id = b.plan_id
            CROSS JOIN LATERAL (VALUES (b.lead_id, b.name <> 'escalate'), (p.issuer_id, b.name = 'escalate'),
                                       (p.monitor_id, b.name = 'escalate' AND p.monitor_id IS DISTINCT FROM p.issuer_id)) AS r(agency, yes)
            WHERE r.yes AND r.agency IS NOT NULL
        )
        SELECT kind FROM bump
        """
    }

    /// For every open recurring parent (or only `parent`) and every active agency under it: when the
    /// agency's latest occurrence is past its due time or no longer open, opens the next one (due at
    /// the next listed day after the previous due time), unless that falls after the due time of the
    /// task the plan delivers, which ends the series. Returns how many it opened.
    func openOccurrences(_ conn: PostgresConnection, parent only: UUID? = nil) throws -> Int {
        let which: PostgresQuery = only.map { " AND o.parent_id = \($0)" } ?? ""
        let rows = try conn.query("""
            WITH latest AS (
                SELECT DISTINCT ON (o.parent_id, o.lead_id) o.parent_id, o.lead_id, o.due_at, o.open, o.id
                FROM tasks o JOIN tasks p ON p.id = o.parent_id
                WHERE p.recurrence IS NOT NULL AND p.open AND o.leaf AND o.due_at IS NOT NULL
            """ + which + """

                ORDER BY o.parent_id, o.lead_id, o.due_at DESC
            )
            SELECT l.parent_id, l.lead_id, l.due_at, p.recurrence, p.plan_id, p.key, p.title, p.description, p.workflow_id,
                   p.due, pl.time_zone, pl.calendar, baton_now() AS now,
                   (SELECT b.due_at FROM tasks b WHERE b.id = pl.basis_task_id) AS limit_at,
                   coalesce((SELECT array_agg(c.agency_id ORDER BY c.position) FROM task_cooperators c WHERE c.task_id = l.id), '{}') AS coop
            FROM latest l
            JOIN tasks p ON p.id = l.parent_id
            JOIN plans pl ON pl.id = p.plan_id
            JOIN agencies a ON a.id = l.lead_id
            WHERE a.active AND (l.due_at <= baton_now() OR NOT l.open)
            ORDER BY l.parent_id, l.due_at
            """)
        // Occurrences due together for the same parent (and cooperators) are opened in one statement.
        struct Group { var task: NewTask; var parent: UUID; var due: Date; var coop: [Int64]; var leads: [Int64] }
        var groups: [String: Group] = [:]
        var order: [String] = []
        for row in rows {
            let now = try row.decode(Date.self, "now")
            let days = try JSONParser.parse(try row.decode(String.self, "recurrence")).arrayValue?.compactMap { $0.stringValue.flatMap(MonthDay.init) } ?? []
            guard !days.isEmpty else { continue }
            let workflowID = try row.decode(Int64.self, "workflow_id")
            let definition = try self.definition(conn, id: workflowID)
            let deadlines = try self.deadlines(conn, zone: try row.decode(String.self, "time_zone"), calendar: try row.decode(String.self, "calendar"))
            let next = deadlines.nextOccurrence(days, after: try row.decode(Date.self, "due_at")).dueAt
            if let limit = try row.decode(Date?.self, "limit_at"), next > limit { continue }
            let parent = try row.decode(UUID.self, "parent_id")
            let coop = try row.decode([Int64].self, "coop")
            let key = "\(parent.lower) \(next.timeIntervalSince1970) \(coop)"
            if groups[key] == nil {
                let settings = definition.settings
                let task = NewTask(
                    plan: try row.decode(UUID.self, "plan_id"), key: try row.decode(String?.self, "key"), title: try row.decode(String.self, "title"),
                    description: try row.decode(String?.self, "description"), workflowID: workflowID, state: definition.initial,
                    due: try row.decode(String?.self, "due").map { try JSONParser.parse($0) }, now: now, userID: nil, actor: "baton",
                    actorAgency: nil, ackDueAt: deadlines.acknowledgeBy(assignedAt: now, within: settings.acknowledgeWithin),
                    timers: TimerPlan(dueAt: next, deadlines: deadlines, settings: settings, after: now).timers)
                groups[key] = Group(task: task, parent: parent, due: next, coop: coop, leads: [])
                order.append(key)
            }
            groups[key]!.leads.append(try row.decode(Int64.self, "lead_id"))
        }
        var opened = 0
        for key in order {
            let g = groups[key]!
            opened += try insertLeaves(conn, g.task, parent: g.parent, leads: g.leads, dueAt: g.due, coop: g.coop,
                                       coopDues: g.coop.map { _ in nil }, skipExisting: true).count
        }
        return opened
    }
}

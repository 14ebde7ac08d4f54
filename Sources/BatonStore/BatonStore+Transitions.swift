import BatonCore
import Foundation
import Postgres

extension BatonStore {
    /// Fires a transition: reads the task, lets the engine decide, and writes the task row
    /// (version-checked), its event and its outbox row in one statement — one transaction.
    ///
    /// Of concurrent conflicting changes exactly one wins: the others find the version moved and
    /// decide again against the new state (usually `invalid_transition`), or, with `If-Match`,
    /// fail with `version_conflict`.
    ///
    /// Round trips, warm (workflow and calendar cached): two — the task read (with, alongside on the
    /// pipeline, the agency a `to` parameter names) and the one write; approving a handoff looks its
    /// agency up in a third. A change that reaches a parent or its children is a transaction of
    /// its own, and its answer is read again.
    public func transition(taskID: UUID, request: TransitionRequest, ifMatch: Int?, by who: Principal) async throws -> TaskRecord {
        let named = request.params["to"]?.stringValue
        for _ in 0..<10 {
            async let namedID = lookUpAgency(named)
            let task = try await visibleTask(id: taskID, for: who, children: false)
            if let ifMatch, ifMatch != task.record.version {
                throw BatonError(.versionConflict, "the task is at version \(task.record.version), not \(ifMatch); read it again")
            }
            let definition = try await definition(id: task.workflowID)
            let engine = TransitionEngine(definition: definition, deadlines: try await deadlines(zone: task.zone, calendar: task.calendar))
            let outcome = try engine.decide(request, task: task.state, parties: task.parties, actor: who.actor, now: task.now)
            var newLeadID = task.leadID
            if let code = outcome.namedAgency {
                let id = try await (code == named ? namedID : lookUpAgency(code))!.get()
                if outcome.newLead != nil { newLeadID = id }
            }
            let write = Self.writeQuery(task, outcome, newLeadID: newLeadID, who: who)
            // Only a change that reaches a parent's children (cancel, remind) or a child's parent (its
            // final state) needs a transaction of its own; any other is the one pipelined statement.
            var written: Bool
            do {
            if !outcome.reachesChildren && !outcome.reachesParent {
                written = try await statements.query(write).count == 1
            } else {
                // A parent and its children, or a child and its parent, change in one transaction.
                written = try await pool.transaction { conn in
                    guard try conn.query(write).count == 1 else { return false }
                    if !task.isLeaf, outcome.transition.effect == .cancel {
                        try conn.query(Self.cancelChildrenQuery(parent: task, rule: outcome.transition, note: outcome.event.note, who: who))
                    }
                    if !task.isLeaf, outcome.transition.effect == .remind {
                        // Reminding a fan-out or recurring parent reminds every agency with an open child.
                        try conn.query("""
                            INSERT INTO notifications (agency_id, task_id, event_seq, kind, created_at)
                            SELECT DISTINCT c.lead_id, \(task.record.id)::uuid, \(task.seq + 1)::integer, 'remind', \(task.now)::timestamptz
                            FROM tasks c WHERE c.parent_id = \(task.record.id) AND c.open AND c.lead_id IS NOT NULL
                            """)
                    }
                    if let parent = task.record.parentID, outcome.reachesParent {
                        if let close = Self.closeParentQuery(parent, definition: definition) { try conn.query(close) }
                        // A closed occurrence of a recurring task: the next one opens now, not at the next sweep.
                        _ = try self.openOccurrences(conn, parent: parent)
                    }
                    return true
                }
            }
            } catch let error as BatonError where error.isUnavailable {
                // The connection broke with the change sent: it may have committed. The event it would
                // have written (this seq, this actor, this name, this instant) tells, once the database
                // answers again; without an answer the client is told 503, and its repeat finds the truth.
                guard try await self.wrote(taskID: taskID, seq: task.seq + 1, actor: who.login, name: outcome.event.name, at: task.now) else {
                    throw error
                }
                written = true
            }
            if written {
                if task.isLeaf { return task.record(after: outcome.next, open: outcome.open) }
                return try await visibleTask(id: taskID, for: who).record
            }
            if ifMatch != nil {
                throw BatonError(.versionConflict, "the task changed while this request was decided; read it again")
            }
        }
        throw BatonError(.conflict, "the task is changing too often to apply this now; try again")
    }

    /// Whether the event of a change whose commit outcome is unknown is there: asked a few times over
    /// about two seconds while the database comes back; false when it is not, or never answers.
    func wrote(taskID: UUID, seq: Int, actor: String, name: String, at: Date) async throws -> Bool {
        for attempt in 0..<5 {
            if attempt > 0 { try await Task.sleep(for: .milliseconds(400)) }
            do {
                guard let row = try await pool.withConnection({ conn in
                    try conn.query("SELECT actor, name, at FROM task_events WHERE task_id = \(taskID) AND seq = \(seq)").single
                }) else { return false }
                return try row.decode(String.self, "actor") == actor && row.decode(String.self, "name") == name
                    && abs(row.decode(Date.self, "at").timeIntervalSince(at)) < 0.000_001
            } catch let e as BatonError where e.isUnavailable {
                continue
            }
        }
        return false
    }

    /// The agency `code` names, as an id, or the lookup's error (unknown, or no longer active);
    /// nil without a code. Errors wait until the engine has decided, so they come in its order.
    func lookUpAgency(_ code: String?) async -> Result<Int64, any Error>? {
        guard let code else { return nil }
        do {
            return .success(try await agencyID(code: code, .active, field: "params.to"))
        } catch {
            return .failure(error)
        }
    }

    /// The statement that closes a fan-out parent once its children are all done (and at least one
    /// closed), if its workflow says so: on time when every closed child was. Nil when it keeps parents open.
    static func closeParentQuery(_ parent: UUID, definition: WorkflowDefinition) -> PostgresQuery? {
        guard definition.settings.closeParentWhenChildrenClosed,
              let closed = definition.target(of: .close) else { return nil }
        return """
            WITH p AS (
                SELECT t.id, t.state FROM tasks t
                WHERE t.id = \(parent) AND t.open AND t.fanout IS NOT NULL AND t.recurrence IS NULL
                  AND NOT EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = t.id AND c.open)
                  AND EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = t.id AND c.closed_at IS NOT NULL)
                FOR UPDATE
            ), u AS (
                UPDATE tasks t SET state = \(closed), open = false, closed_at = baton_now(),
                       on_time = (SELECT bool_and(c.on_time) FROM tasks c WHERE c.parent_id = t.id AND c.closed_at IS NOT NULL),
                       version = t.version + 1, seq = t.seq + 1, updated_at = baton_now()
                FROM p WHERE t.id = p.id
                RETURNING t.id, t.seq, p.state AS from_state, t.plan_id
            ), e AS (
                INSERT INTO task_events (task_id, seq, at, actor, name, from_state, to_state, note, params)
                SELECT u.id, u.seq, baton_now(), 'baton', 'close', u.from_state, \(closed), 'every child task is done', '{}'::jsonb FROM u
            ), o AS (
                INSERT INTO outbox (task_id, event_seq)
                SELECT u.id, u.seq FROM u
            )
            INSERT INTO notifications (agency_id, task_id, event_seq, kind, created_at)
            SELECT p.issuer_id, u.id, u.seq, 'close', baton_now() FROM u JOIN plans p ON p.id = u.plan_id
            """
    }

    /// The one statement of a change: the task row if its version still matches, the event, the outbox row.
    /// It returns one row when it applied, none when the version had moved.
    static func writeQuery(_ task: LoadedTask, _ outcome: TransitionOutcome, newLeadID: Int64?, who: Principal?) -> PostgresQuery {
        let next = outcome.next
        let pending = next.pending.json.jsonText
        let now = task.now
        let ackAgency: Int64? = [.acknowledgePart, .contribute].contains(outcome.transition.effect) ? who?.agencyID : nil
        let mine = next.cooperating.first { $0.agency == who?.agency }
        let ackLate = mine?.acknowledgedLate
        let contribution = outcome.transition.effect == .contribute ? mine?.contribution : nil
        let dropCooperator: Int64? = newLeadID != task.leadID ? newLeadID : nil
        let params = JSONValue.object(outcome.event.params).jsonText
        return """
            WITH u AS (
                UPDATE tasks SET state = \(next.state), open = \(outcome.open), lead_id = \(newLeadID),
                       due_at = \(next.dueAt), original_due_at = \(next.originalDueAt), acknowledged_at = \(next.acknowledgedAt),
                       ack_due_at = \(next.ackDueAt), acknowledged_late = \(next.acknowledgedLate),
                       closed_at = \(next.closedAt), on_time = \(next.onTime), pending = \(pending)::jsonb,
                       version = version + 1, seq = seq + 1, updated_at = \(now)
                WHERE id = \(task.record.id) AND version = \(task.record.version)
                RETURNING id, seq
            ), c AS (
                UPDATE task_cooperators SET acknowledged_at = coalesce(acknowledged_at, \(now)),
                       acknowledged_late = coalesce(acknowledged_late, \(ackLate)),
                       contributed_at = coalesce(\(contribution?.at), contributed_at), contribution = coalesce(\(contribution?.note), contribution),
                       contribution_reference = coalesce(\(contribution?.reference), contribution_reference),
                       contribution_on_time = coalesce(\(contribution?.onTime), contribution_on_time)
                WHERE task_id = \(task.record.id) AND agency_id = \(ackAgency) AND EXISTS (SELECT 1 FROM u)
            ), d AS (
                DELETE FROM task_cooperators
                WHERE task_id = \(task.record.id) AND agency_id = \(dropCooperator) AND EXISTS (SELECT 1 FROM u)
            ), e AS (
                INSERT INTO task_events (task_id, seq, at, actor_id, actor, agency_id, name, from_state, to_state, note, params)
                SELECT u.id, u.seq, \(now), \(who?.userID), \(who?.login ?? "baton"), \(who?.agencyID), \(outcome.event.name),
                       \(outcome.event.from), \(outcome.event.to), \(outcome.event.note), \(params)::jsonb
                FROM u
            ), o AS (
                INSERT INTO outbox (task_id, event_seq)
                SELECT u.id, u.seq FROM u
            ), n AS (
                INSERT INTO notifications (agency_id, task_id, event_seq, kind, created_at)
                SELECT a.id, u.id, u.seq, \(outcome.event.name), \(now) FROM u JOIN agencies a ON a.code = ANY(\(outcome.notify)::text[])
            ), tm AS (
                INSERT INTO task_timers (task_id, kind, due_at, fire_at)
                SELECT u.id, x.kind, \(next.dueAt), x.fire_at
                FROM u CROSS JOIN unnest(\(outcome.timers.map(\.kind))::text[], \(outcome.timers.map(\.fireAt))::timestamptz[]) AS x(kind, fire_at)
                ON CONFLICT DO NOTHING
            )
            SELECT seq FROM u
            """
    }

    /// Cancels every open child of a cancelled parent, each with its own event.
    static func cancelChildrenQuery(parent: LoadedTask, rule: WorkflowDefinition.Transition, note: String?, who: Principal) -> PostgresQuery {
        let to = rule.to ?? "cancelled"
        return """
            WITH old AS (
                SELECT id, state FROM tasks WHERE parent_id = \(parent.record.id) AND open AND state = ANY(\(rule.from)::text[])
                FOR UPDATE
            ), u AS (
                UPDATE tasks t SET state = \(to), open = false, pending = '{}'::jsonb, version = t.version + 1, seq = t.seq + 1,
                       updated_at = \(parent.now)
                FROM old WHERE t.id = old.id
                RETURNING t.id, t.seq, t.lead_id, old.state AS from_state
            ), e AS (
                INSERT INTO task_events (task_id, seq, at, actor_id, actor, agency_id, name, from_state, to_state, note, params)
                SELECT u.id, u.seq, \(parent.now), \(who.userID), \(who.login), \(who.agencyID), \(rule.name), u.from_state, \(to),
                       \(note), jsonb_build_object('parent', \(parent.record.id)::text)
                FROM u
            )
            , ob AS (
                INSERT INTO outbox (task_id, event_seq)
                SELECT u.id, u.seq FROM u
            )
            INSERT INTO notifications (agency_id, task_id, event_seq, kind, created_at)
            SELECT u.lead_id, u.id, u.seq, \(rule.name), \(parent.now) FROM u WHERE u.lead_id IS NOT NULL
            """
    }
}

extension BatonStore {
    /// A visible task with the transitions `who` may fire on it now and its workflow for the labels of
    /// states and transitions: the buttons of the task's page, decided by the engine, from one read.
    /// - Parameter children: whether the record carries a parent's children (the task page shows them; the queue does not).
    public func transitionChoices(taskID: UUID, for who: Principal, children: Bool = false)
        async throws -> (task: TaskRecord, workflow: WorkflowDefinition, choices: [WorkflowDefinition.Transition]) {
        let task = try await visibleTask(id: taskID, for: who, children: children)
        let definition = try await definition(id: task.workflowID)
        let engine = TransitionEngine(definition: definition, deadlines: try await deadlines(zone: task.zone, calendar: task.calendar))
        return (task.record, definition, engine.choices(task: task.state, parties: task.parties, actor: who.actor, now: task.now))
    }
}

import BatonCore
import Foundation
import Postgres

/// What inserting a task needs to know about its plan.
struct PlanContext: Sendable {
    let id: UUID
    let issuerID: Int64
    let zone: String
    let calendar: String
    /// For a plan made under a task of another plan: that task's due time, which none of this plan's tasks may pass.
    let limit: Date?
}

/// Filters of `GET /v1/tasks`.
public struct TaskFilter: Sendable, Hashable {
    public enum Role: String, Sendable { case lead, cooperating }
    public var plan: UUID?
    public var agency: String?
    public var role: Role?
    public var state: String?
    public var overdue: Bool?
    public var dueBefore: LocalDate?
    public var parent: UUID?
    /// `task` (assigned work) or `incident`; nil lists both.
    public var kind: String?
    /// Only open tasks with a request waiting for the committee (extension, handoff) or a difficulty
    /// waiting for an answer.
    public var pending: Bool?
    /// Only open (true) or only closed (false) tasks.
    public var open: Bool?
    /// Only tasks without a parent (plain tasks, fan-out and recurrence parents).
    public var topLevel: Bool?
    public init() {}
}

extension BatonStore {
    /// Assigns a task in a plan (`POST /v1/tasks`): the caller must be a committee member of the plan's issuer.
    /// A fan-out creates a parent and one child per agency; a recurrence, a parent and its first occurrences.
    public func createTask(planID: UUID, spec: TaskSpec, by who: Principal) async throws -> TaskRecord {
        let id = try await pool.transaction { conn -> UUID in
            guard let row = try conn.query("""
                SELECT p.id, p.issuer_id, p.time_zone, p.calendar, (\(fragment: Self.planVisible(who))) AS visible, baton_now() AS now,
                       (SELECT b.due_at FROM tasks b WHERE b.id = p.basis_task_id) AS limit_at
                FROM plans p WHERE p.id = \(planID)
                """).single, try row.decode(Bool.self, "visible") else {
                throw BatonError.invalid("plan_id", "no plan \(planID) is visible to you")
            }
            let plan = PlanContext(id: planID, issuerID: try row.decode(Int64.self, "issuer_id"),
                                   zone: try row.decode(String.self, "time_zone"), calendar: try row.decode(String.self, "calendar"),
                                   limit: try row.decode(Date?.self, "limit_at"))
            guard who.has(.committee), who.agencyID == plan.issuerID else {
                throw BatonError(.forbidden, "only a committee member of the agency that issued the plan assigns its tasks")
            }
            let now = try row.decode(Date.self, "now")
            let zone = TimeZone.named(plan.zone)
            return try self.insertTask(conn, plan: plan, spec: spec, path: "", startDay: LocalDate(containing: now, in: zone), now: now, by: who).root
        }
        return try await visibleTask(id: id, for: who).record
    }

    /// Inserts a task (and its children); returns its id and how many leaf tasks it created.
    func insertTask(_ conn: PostgresConnection, plan: PlanContext, spec: TaskSpec, path: String, startDay: LocalDate,
                    now: Date, by who: Principal?) throws -> (root: UUID, leaves: Int) {
        func field(_ f: String) -> String { path.isEmpty ? f : "\(path).\(f)" }
        let workflow = try currentWorkflow(conn, name: spec.workflow, field: field("workflow"))
        let deadlines = try self.deadlines(conn, zone: plan.zone, calendar: plan.calendar)

        // Who leads: one agency, or every agency the fan-out reaches within the issuer's jurisdiction.
        let leads = try Self.reachedAgencies(conn, spec.lead, issuer: plan.issuerID, field: field("lead"))

        let coopIDs = try Self.agencyIDs(conn, codes: spec.cooperating.map(\.agency)) { field("cooperating[\($0)]") }
        let coopDues: [Date?] = try spec.cooperating.map { c in try c.due.map { try deadlines.resolve($0, startDay: startDay, now: now) } }

        var dueAt: Date?
        var recurrence: JSONValue?
        if let due = spec.due {
            dueAt = try deadlines.resolve(due, startDay: startDay, now: now)
            if case .yearlyBefore(let days) = due { recurrence = .array(days.map { .string($0.description) }) }
        }
        if let dueAt, let limit = plan.limit, dueAt > limit {
            throw BatonError.invalid(field("due"), "is later than the due time of the task this plan delivers (\(RFC3339.format(limit, in: deadlines.zone)))")
        }
        if let dueAt {
            for (i, d) in coopDues.enumerated() {
                if let d, d > dueAt {
                    throw BatonError.invalid(field("cooperating[\(i)].due"), "a cooperating agency's part cannot be due after the task itself")
                }
            }
        }
        let actor = who?.login ?? "admin"
        let settings = workflow.definition.settings
        let timers = dueAt.map { TimerPlan(dueAt: $0, deadlines: deadlines, settings: settings, after: now).timers } ?? []
        let common = NewTask(plan: plan.id, key: spec.key, title: spec.title, description: spec.description,
                             workflowID: workflow.id, state: workflow.definition.initial, due: spec.due?.json(in: deadlines.zone), now: now,
                             userID: who?.userID, actor: actor, actorAgency: who?.agencyID,
                             ackDueAt: deadlines.acknowledgeBy(assignedAt: now, within: settings.acknowledgeWithin), timers: timers)

        let isParent = spec.lead.isFanOut || recurrence != nil
        guard isParent else {
            let ids = try insertLeaves(conn, common, parent: nil, leads: leads, dueAt: dueAt, coop: coopIDs, coopDues: coopDues)
            return (ids[0], 1)
        }
        // The parent groups the children: no lead for a fan-out, the lead itself for a single recurring task.
        let parentID = try conn.query("""
            INSERT INTO tasks (plan_id, key, title, description, workflow_id, state, open, lead_id, fanout, recurrence, due, due_at,
                               created_at, created_by, updated_at)
            VALUES (\(plan.id), \(spec.key), \(spec.title), \(spec.description), \(workflow.id), \(workflow.definition.initial), true,
                    \(spec.lead.isFanOut ? nil : leads[0]), \(spec.lead.isFanOut ? spec.lead.json.jsonText : nil)::jsonb,
                    \(recurrence?.jsonText)::jsonb, \(spec.due?.json(in: deadlines.zone).jsonText)::jsonb, \(dueAt), \(now), \(who?.userID), \(now))
            RETURNING id
            """)[0].decode(UUID.self, "id")
        try conn.query("""
            WITH e AS (
                INSERT INTO task_events (task_id, seq, at, actor_id, actor, agency_id, name, from_state, to_state, params)
                VALUES (\(parentID), 1, \(now), \(who?.userID), \(actor), \(who?.agencyID), 'assign', NULL, \(workflow.definition.initial),
                        \(JSONValue.object(["lead": spec.lead.json]).jsonText)::jsonb)
            )
            INSERT INTO outbox (task_id, event_seq)
            VALUES (\(parentID), 1)
            """)
        // Recurring children are the first occurrence: due at the next listed date after now.
        let ids = try insertLeaves(conn, common, parent: parentID, leads: leads, dueAt: dueAt, coop: coopIDs, coopDues: coopDues)
        return (parentID, ids.count)
    }

    struct NewTask {
        let plan: UUID
        let key: String?
        let title: String
        let description: String?
        let workflowID: Int64
        let state: String
        let due: JSONValue?
        let now: Date
        let userID: Int64?
        let actor: String
        let actorAgency: Int64?
        let ackDueAt: Date
        let timers: [TimerPlan.Timer]
    }

    /// Inserts one leaf task per lead agency in one statement, with cooperators, `assign` events and outbox rows.
    /// With `skipExisting`, an occurrence already opened for the same parent, agency and due time
    /// is left alone (so two sweeps never open one twice).
    func insertLeaves(_ conn: PostgresConnection, _ t: NewTask, parent: UUID?, leads: [Int64], dueAt: Date?,
                      coop: [Int64], coopDues: [Date?], skipExisting: Bool = false) throws -> [UUID] {
        let onConflict: PostgresQuery = skipExisting
            ? "ON CONFLICT (parent_id, lead_id, due_at) WHERE parent_id IS NOT NULL AND due_at IS NOT NULL AND leaf DO NOTHING" : ""
        return try conn.query("""
            WITH ins AS (
                INSERT INTO tasks (plan_id, parent_id, key, title, description, workflow_id, state, open, lead_id, due, due_at,
                                   ack_due_at, created_at, created_by, updated_at)
                SELECT \(t.plan), \(parent), \(t.key), \(t.title), \(t.description), \(t.workflowID), \(t.state), true, l.id,
                       \(t.due?.jsonText)::jsonb, \(dueAt), \(t.ackDueAt), \(t.now), \(t.userID), \(t.now)
                FROM unnest(\(leads)::bigint[]) WITH ORDINALITY AS l(id, n) ORDER BY l.n
                \(fragment: onConflict)
                RETURNING id, lead_id
            ), coop AS (
                INSERT INTO task_cooperators (task_id, agency_id, position, due_at)
                SELECT ins.id, c.id, c.n, c.due_at
                FROM ins CROSS JOIN unnest(\(coop)::bigint[], \(coopDues)::timestamptz[]) WITH ORDINALITY AS c(id, due_at, n)
                WHERE c.id <> ins.lead_id
            ), ev AS (
                INSERT INTO task_events (task_id, seq, at, actor_id, actor, agency_id, name, from_state, to_state, params)
                SELECT ins.id, 1, \(t.now), \(t.userID), \(t.actor), \(t.actorAgency), 'assign', NULL, \(t.state),
                       jsonb_build_object('lead', a.code)
                FROM ins JOIN agencies a ON a.id = ins.lead_id
            ), ob AS (
                INSERT INTO outbox (task_id, event_seq)
                SELECT ins.id, 1 FROM ins
            ), nt AS (
                INSERT INTO notifications (agency_id, task_id, event_seq, kind, created_at)
                SELECT r.agency, ins.id, 1, 'assign', \(t.now)
                FROM ins CROSS JOIN LATERAL (
                    SELECT ins.lead_id AS agency
                    UNION ALL SELECT c.id FROM unnest(\(coop)::bigint[]) AS c(id) WHERE c.id <> ins.lead_id) r
            ), tm AS (
                INSERT INTO task_timers (task_id, kind, due_at, fire_at)
                SELECT ins.id, x.kind, \(dueAt), x.fire_at
                FROM ins CROSS JOIN unnest(\(t.timers.map(\.kind))::text[], \(t.timers.map(\.fireAt))::timestamptz[]) AS x(kind, fire_at)
                WHERE \(dueAt)::timestamptz IS NOT NULL
            )
            SELECT id FROM ins
            """).map { try $0.decode(UUID.self, "id") }
    }

    /// A task the caller sees (with children for a parent), or `not_found`.
    public func task(id: UUID, for who: Principal) async throws -> TaskRecord {
        try await visibleTask(id: id, for: who).record
    }

    /// The tasks the caller sees, filtered, in creation order.
    public func tasks(_ filter: TaskFilter, for who: Principal, page: Page) async throws -> Paged<TaskRecord> {
        let after = try page.after { UUID(hex: $0) }
        return try await reads.withConnection { conn in
            let agencyID = try filter.agency.map { try Self.agencyID(conn, code: $0, .anyState, field: "agency") }
            let role = filter.role?.rawValue
            let dueBefore = filter.dueBefore?.description
            // An agency's tasks are found from its side (the lead index, its cooperating parts), not by testing
            // every task: a condition of its own, not a branch of an OR, so the planner can start there.
            var agencyFilter: PostgresQuery = "true"
            if let agencyID {
                agencyFilter = """
                    t.id IN (SELECT l.id FROM tasks l WHERE l.lead_id = \(agencyID) AND \(role)::text IS DISTINCT FROM 'cooperating'
                             UNION ALL
                             SELECT fc.task_id FROM task_cooperators fc WHERE fc.agency_id = \(agencyID) AND \(role)::text IS DISTINCT FROM 'lead')
                    """
            }
            // The page is chosen first, from the tasks' own rows (joined to their plans only for the plan-wide
            // grounds and `due_before`), then only its tasks are joined and built: a school sees a few hundred tasks,
            // and joining and building every one before taking the first page cost more than the page.
            var dueBeforeFilter: PostgresQuery = "true"
            if let dueBefore { dueBeforeFilter = "t.due_at < (\(dueBefore)::date::timestamp AT TIME ZONE p.time_zone)" }
            let plans = Self.plansForVisibility(who, also: dueBefore != nil)
            var chosen: PostgresQuery = "SELECT t.* FROM tasks t " + plans + " WHERE (" + Self.taskVisible(who) + ")"
            chosen = chosen + """
                 AND (\(filter.plan)::uuid IS NULL OR t.plan_id = \(filter.plan))
                 AND (\(filter.parent)::uuid IS NULL OR t.parent_id = \(filter.parent))
                 AND (\(filter.topLevel)::boolean IS NULL OR (t.parent_id IS NULL) = \(filter.topLevel))
                 AND (\(filter.open)::boolean IS NULL OR t.open = \(filter.open))
                 AND \(fragment: agencyFilter)
                 AND (\(filter.state)::text IS NULL OR t.state = \(filter.state))
                 AND (\(filter.kind)::text IS NULL OR t.kind = \(filter.kind))
                 AND (\(filter.pending)::boolean IS NULL OR (t.open AND t.pending <> '{}'::jsonb) = \(filter.pending))
                 AND (\(filter.overdue)::boolean IS NULL
                      OR coalesce(t.open AND t.recurrence IS NULL AND t.due_at <= (SELECT baton_now()), false) = \(filter.overdue))
                 AND \(fragment: dueBeforeFilter)
                 AND (\(after)::uuid IS NULL OR t.id > \(after))
                ORDER BY t.id LIMIT \(page.limit + 1)
                """
            let q = Self.taskSelect(from: "(" + chosen + ") t") + " ORDER BY t.id"
            let items = try conn.query(q).map { try Self.loadedTask($0).record }
            return Paged(fetched: items, limit: page.limit) { $0.id.lower }
        }
    }
}

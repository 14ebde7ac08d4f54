import BatonCore
import Foundation
import Postgres

/// A task as the API shows it (API.md "Tasks"): what it is, and its state as the engine sees it
/// (`current`), read once from its row. After a transition the record takes the engine's next
/// state, which is exactly what the write stored.
public struct TaskRecord: Sendable, JSONWritable {
    /// A cooperating agency's part, in the plan's zone.
    public struct Cooperating: Sendable, JSONWritable {
        let part: TaskState.Cooperator
        let zone: TimeZone

        public var agency: String { part.agency }
        public var acknowledgedAt: ZonedTime? { part.acknowledgedAt.map { ZonedTime($0, zone) } }
        public var acknowledgedLate: Bool? { part.acknowledgedLate }
        public var dueAt: ZonedTime? { part.dueAt.map { ZonedTime($0, zone) } }
        public var contribution: TaskState.Contribution? { part.contribution }

        public func write(to w: inout JSONWriter) {
            w.openObject()
            w.field("agency", agency)
            w.field("acknowledged_at", acknowledgedAt)
            w.field("acknowledged_late", acknowledgedLate)
            w.field("due_at", dueAt)
            w.key("contribution")
            if let c = contribution {
                w.openObject()
                w.key("at")
                w.time(c.at, in: zone)
                w.field("note", c.note)
                w.field("reference", c.reference)
                w.field("on_time", c.onTime)
                w.closeObject()
            } else {
                w.raw("null")
            }
            w.closeObject()
        }
    }

    public let id: UUID
    public let planID: UUID
    /// `task` or `incident`.
    public let kind: String
    public let parentID: UUID?
    public let key: String?
    public let title: String
    public let description: String?
    public let workflow: String
    public let workflowVersion: Int
    public let fanout: JSONValue?
    public let recurrence: JSONValue?
    /// The due time as the plan wrote it.
    public let due: JSONValue?
    public let createdAt: ZonedTime
    /// The state transitions change, as the engine sees it.
    public internal(set) var current: TaskState
    public internal(set) var open: Bool
    public internal(set) var updatedAt: ZonedTime
    /// The plan's zone, in which times are shown.
    let zone: TimeZone
    /// The database's clock when the task was read, for `overdue`.
    let readAt: Date
    /// For a fan-out or recurring parent: its children, one per agency (and period).
    public var children: [TaskRecord]?

    public var state: String { current.state }
    public var lead: String? { current.lead }
    public var cooperating: [Cooperating] { current.cooperating.map { Cooperating(part: $0, zone: zone) } }
    public var dueAt: ZonedTime? { zoned(current.dueAt) }
    public var originalDueAt: ZonedTime? { zoned(current.originalDueAt) }
    /// Derived when read: open and past its due time (a recurring parent never is; its occurrences are).
    public var overdue: Bool { recurrence == nil && TaskState.isOverdue(open: open, dueAt: current.dueAt, at: readAt) }
    public var acknowledgedAt: ZonedTime? { zoned(current.acknowledgedAt) }
    public var ackDueAt: ZonedTime? { zoned(current.ackDueAt) }
    public var acknowledgedLate: Bool? { current.acknowledgedLate }
    public var closedAt: ZonedTime? { zoned(current.closedAt) }
    public var onTime: Bool? { current.onTime }
    /// Requests waiting for the committee, as the API shows them.
    public var pending: JSONValue { current.pending.json(in: zone, absentAsNull: true) }
    public var version: Int { current.version }

    private func zoned(_ date: Date?) -> ZonedTime? { date.map { ZonedTime($0, zone) } }

    public func write(to w: inout JSONWriter) {
        w.openObject()
        w.field("id", id.lower)
        w.field("plan_id", planID.lower)
        w.field("kind", kind)
        w.field("key", key)
        w.field("title", title)
        w.field("description", description)
        w.field("workflow", workflow)
        w.field("workflow_version", workflowVersion)
        w.field("state", state)
        w.field("lead", lead)
        if let fanout { w.field("fanout", fanout) }
        if let recurrence { w.field("recurrence", recurrence) }
        w.field("cooperating", cooperating)
        w.field("due", due)
        w.field("due_at", dueAt)
        w.field("original_due_at", originalDueAt)
        w.field("overdue", overdue)
        w.field("acknowledged_at", acknowledgedAt)
        w.field("ack_due_at", ackDueAt)
        w.field("acknowledged_late", acknowledgedLate)
        w.field("closed_at", closedAt)
        w.field("on_time", onTime)
        w.field("pending", pending)
        w.field("version", version)
        w.field("parent_id", parentID?.lower)
        w.field("created_at", createdAt)
        w.field("updated_at", updatedAt)
        if let children {
            // A parent shows how its children stand: counts by state and the share closed.
            w.key("progress")
            w.openObject()
            w.field("children", children.count)
            w.key("by_state")
            var counts: [String: JSONValue] = [:]
            for c in children { counts[c.state, default: .number(0)] = .number((counts[c.state]?.intValue.map(Double.init) ?? 0) + 1) }
            w.value(.object(counts))
            let closed = children.filter { $0.closedAt != nil }.count
            let cancelled = children.filter { !$0.open && $0.closedAt == nil }.count
            w.field("closed", closed)
            w.field("overdue", children.filter(\.overdue).count)
            w.field("completion_rate", children.count == cancelled ? nil : Double(closed) / Double(children.count - cancelled))
            w.closeObject()
            w.field("children", children)
        }
        w.closeObject()
    }
}

extension BatonStore {
    /// The columns every task read selects (`t` tasks, `p` plans, `w` workflows, `la` lead agency).
    static let taskSelect = taskSelect(from: "tasks t")

    /// The same over `tasks`, a source of whole task rows named `t` (a page of them, say, chosen first).
    static func taskSelect(from tasks: PostgresQuery) -> PostgresQuery {
        """
        SELECT t.id, t.plan_id, t.kind, t.parent_id, t.key, t.title, t.description, t.workflow_id, w.name AS workflow,
               w.version AS workflow_version, t.state, t.open, t.leaf, la.id AS lead_id, la.code AS lead, la.path AS lead_path,
               t.fanout, t.recurrence, t.due, t.due_at, t.original_due_at, t.acknowledged_at, t.ack_due_at, t.acknowledged_late,
               t.closed_at, t.on_time,
               t.pending, t.version, t.seq, t.created_at, t.updated_at,
               p.overseers, p.monitors, ia.code AS issuer, ma.code AS monitor, p.time_zone, p.calendar,
               (SELECT coalesce(array_agg(DISTINCT oa.code), '{}') FROM agencies oa
                 WHERE cardinality(p.lineage) > 1 AND oa.id = ANY(p.overseers || p.monitors)) AS above,
               (SELECT json_agg(json_build_object('agency', ca.code, 'path', ca.path, 'acknowledged_at', c.acknowledged_at,
                                                  'acknowledged_late', c.acknowledged_late, 'due_at', c.due_at,
                                                  'contributed_at', c.contributed_at, 'contribution', c.contribution,
                                                  'reference', c.contribution_reference, 'contribution_on_time', c.contribution_on_time)
                                ORDER BY c.position)
                  FROM task_cooperators c JOIN agencies ca ON ca.id = c.agency_id WHERE c.task_id = t.id) AS cooperating,
               (SELECT b.due_at FROM tasks b WHERE b.id = p.basis_task_id) AS limit_at,
               (SELECT baton_now()) AS now
        FROM \(fragment: tasks)
        JOIN plans p ON p.id = t.plan_id
        JOIN workflows w ON w.id = t.workflow_id
        JOIN agencies ia ON ia.id = p.issuer_id
        LEFT JOIN agencies ma ON ma.id = p.monitor_id
        LEFT JOIN agencies la ON la.id = t.lead_id
        """
    }

    static func loadedTask(_ row: PostgresRow) throws -> LoadedTask {
        let zone = TimeZone.named(try row.decode(String.self, "time_zone"))
        func json(_ column: String) throws -> JSONValue? {
            guard let text = try row.decode(String?.self, column) else { return nil }
            return try JSONParser.parse(text)
        }
        func bool(_ v: JSONValue?) -> Bool? { if case .bool(let b)? = v { return b } else { return nil } }
        var cooperatorPaths: [[Int64]] = []
        let cooperators: [TaskState.Cooperator] = try (json("cooperating")?.arrayValue ?? []).map { c in
            guard let agency = c["agency"]?.stringValue else { throw BatonError(.internalError, "a cooperating agency row has no code") }
            cooperatorPaths.append((c["path"]?.arrayValue ?? []).compactMap { $0.intValue.map(Int64.init) })
            return TaskState.Cooperator(
                agency: agency, acknowledgedAt: c["acknowledged_at"]?.stringValue.flatMap(Self.jsonTime),
                acknowledgedLate: bool(c["acknowledged_late"]), dueAt: c["due_at"]?.stringValue.flatMap(Self.jsonTime),
                contribution: c["contributed_at"]?.stringValue.flatMap(Self.jsonTime).map {
                    TaskState.Contribution(at: $0, note: c["contribution"]?.stringValue ?? "", reference: c["reference"]?.stringValue,
                                           onTime: bool(c["contribution_on_time"]))
                })
        }
        let pendingText = try row.decode(String.self, "pending")
        let isLeaf = try row.decode(Bool.self, "leaf")
        let parentID = try row.decode(UUID?.self, "parent_id")
        let current = TaskState(
            state: try row.decode(String.self, "state"), lead: try row.decode(String?.self, "lead"), cooperating: cooperators,
            dueAt: try row.decode(Date?.self, "due_at"), originalDueAt: try row.decode(Date?.self, "original_due_at"),
            acknowledgedAt: try row.decode(Date?.self, "acknowledged_at"), closedAt: try row.decode(Date?.self, "closed_at"),
            onTime: try row.decode(Bool?.self, "on_time"),
            pending: pendingText == "{}" ? PendingRequests() : try PendingRequests(json: try JSONParser.parse(pendingText)),
            version: try row.decode(Int.self, "version"), isParent: !isLeaf, ackDueAt: try row.decode(Date?.self, "ack_due_at"),
            acknowledgedLate: try row.decode(Bool?.self, "acknowledged_late"), isChild: parentID != nil)
        let now = try row.decode(Date.self, "now")
        let record = TaskRecord(
            id: try row.decode(UUID.self, "id"), planID: try row.decode(UUID.self, "plan_id"), kind: try row.decode(String.self, "kind"),
            parentID: parentID, key: try row.decode(String?.self, "key"),
            title: try row.decode(String.self, "title"), description: try row.decode(String?.self, "description"),
            workflow: try row.decode(String.self, "workflow"), workflowVersion: try row.decode(Int.self, "workflow_version"),
            fanout: try json("fanout"), recurrence: try json("recurrence"), due: try json("due"),
            createdAt: ZonedTime(try row.decode(Date.self, "created_at"), zone), current: current, open: try row.decode(Bool.self, "open"),
            updatedAt: ZonedTime(try row.decode(Date.self, "updated_at"), zone), zone: zone, readAt: now, children: nil)
        return LoadedTask(
            record: record, workflowID: try row.decode(Int64.self, "workflow_id"), leadID: try row.decode(Int64?.self, "lead_id"),
            leadPath: try row.decode([Int64]?.self, "lead_path"), cooperatorPaths: cooperatorPaths,
            overseers: try row.decode([Int64].self, "overseers"), monitors: try row.decode([Int64].self, "monitors"),
            issuer: try row.decode(String.self, "issuer"), monitor: try row.decode(String?.self, "monitor"),
            above: try Self.textArray(row.decode(String.self, "above")), calendar: try row.decode(String.self, "calendar"),
            seq: try row.decode(Int.self, "seq"), now: now, limit: try row.decode(Date?.self, "limit_at"))
    }

    /// A `text[]` of simple values (agency codes) as PostgreSQL prints it: `{A,B}`.
    static func textArray(_ text: String) -> [String] {
        guard text.count > 2 else { return [] }
        return text.dropFirst().dropLast().split(separator: ",").map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
    }

    /// A timestamp inside a `json_build_object`: PostgreSQL writes `2024-11-14T17:00:00+00:00`.
    static func jsonTime(_ text: String) -> Date? { RFC3339.parse(text) }

    /// One task with its plan's parties, or nil.
    func loadTask(id: UUID) async throws -> LoadedTask? {
        try await statements.query(Self.taskSelect + " WHERE t.id = \(id)").single.map(Self.loadedTask)
    }

    /// A task the caller sees, with children for a parent (unless `children` is false, for callers
    /// that only need the task itself); otherwise `not_found`.
    /// Who sees a parent only through one of its children sees those children, not the others.
    func visibleTask(id: UUID, for who: Principal, children: Bool = true) async throws -> LoadedTask {
        guard var task = try await loadTask(id: id) else { throw BatonError.notFound("task \(id.lower)") }
        let direct = task.visible(to: who)
        if !direct {
            guard let q = Self.childVisibleQuery(task, who), try await statements.query(q).count == 1 else {
                throw BatonError.notFound("task \(id.lower)")
            }
        }
        if children, !task.isLeaf {
            let only: PostgresQuery = direct ? "" : " AND " + Self.taskVisible(who)
            task.record.children = try await statements.query(Self.taskSelect + " WHERE t.parent_id = \(id)" + only
                                                              + " ORDER BY la.code, t.due_at, t.id").map { try Self.loadedTask($0).record }
        }
        return task
    }

    /// The `childLead` ground for a loaded parent, asked of the database (the children are not
    /// loaded); nil when it cannot apply (a leaf, or a caller whose roles do not give it).
    static func childVisibleQuery(_ task: LoadedTask, _ who: Principal) -> PostgresQuery? {
        guard !task.isLeaf, who.viewer.grounds.contains(.childLead) else { return nil }
        return "SELECT 1 AS one FROM tasks t WHERE t.id = \(task.record.id) AND " + Self.sql(.childLead, me: who.agencyID)
    }
}

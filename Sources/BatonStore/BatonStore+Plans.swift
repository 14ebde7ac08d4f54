import BatonCore
import Foundation
import Postgres

/// A plan as the API shows it, with its progress.
public struct PlanRecord: Sendable, JSONWritable {
    public struct Progress: Sendable, JSONWritable, Hashable {
        public let tasks: Int
        public let open: Int
        public let closed: Int
        public let closedOnTime: Int
        public let cancelled: Int
        public let overdue: Int
        /// This plan and every plan made under it, at any depth: the progress counts them all.
        public let plans: Int
        public func write(to w: inout JSONWriter) {
            w.openObject()
            w.field("tasks", tasks)
            w.field("open", open)
            w.field("closed", closed)
            w.field("closed_on_time", closedOnTime)
            w.field("cancelled", cancelled)
            w.field("overdue", overdue)
            w.field("plans", plans)
            w.closeObject()
        }
    }

    public let id: UUID
    public let number: String
    public let title: String
    public let description: String?
    public let basis: String?
    public let issuedOn: LocalDate
    public let issuer: String
    public let monitor: String?
    public let basisTask: UUID?
    /// The plan whose task this plan delivers.
    public let parentPlan: UUID?
    public let timeZone: String
    public let calendar: String
    public let createdAt: ZonedTime
    public let progress: Progress
    /// Its indicators with their rolled-up values (when one plan is read, not in lists).
    public var indicators: [IndicatorStatus]?

    public func write(to w: inout JSONWriter) {
        w.openObject()
        w.field("id", id.lower)
        w.field("number", number)
        w.field("title", title)
        w.field("description", description)
        w.field("basis", basis)
        w.field("issued_on", issuedOn)
        w.field("issuer", issuer)
        w.field("monitor", monitor)
        w.field("basis_task", basisTask?.lower)
        w.field("parent_plan", parentPlan?.lower)
        w.field("time_zone", timeZone)
        w.field("calendar", calendar)
        w.field("created_at", createdAt)
        w.field("progress", progress)
        if let indicators { w.field("indicators", indicators) }
        w.closeObject()
    }
}

extension BatonStore {
    static let planSelect: PostgresQuery = """
        SELECT p.id, p.number, p.title, p.description, p.basis, p.issued_on::text AS issued_on, ia.code AS issuer,
               ma.code AS monitor, p.basis_task_id, p.time_zone, p.calendar, p.created_at,
               CASE WHEN cardinality(p.lineage) > 1 THEN p.lineage[cardinality(p.lineage) - 1] END AS parent_plan,
               pr.tasks, pr.open, pr.closed, pr.closed_on_time, pr.cancelled, pr.overdue, pr.plans
        FROM plans p
        JOIN agencies ia ON ia.id = p.issuer_id
        LEFT JOIN agencies ma ON ma.id = p.monitor_id
        CROSS JOIN LATERAL (
            SELECT count(*) AS tasks,
                   count(*) FILTER (WHERE t.open) AS open,
                   count(*) FILTER (WHERE t.closed_at IS NOT NULL) AS closed,
                   count(*) FILTER (WHERE t.on_time) AS closed_on_time,
                   count(*) FILTER (WHERE NOT t.open AND t.closed_at IS NULL) AS cancelled,
                   count(*) FILTER (WHERE t.open AND t.due_at <= (SELECT baton_now())) AS overdue,
                   (SELECT count(*) FROM plans d WHERE d.lineage @> ARRAY[p.id]) AS plans
            FROM tasks t
            WHERE t.plan_id IN (SELECT d.id FROM plans d WHERE d.lineage @> ARRAY[p.id]) AND t.leaf AND t.kind = 'task'
        ) pr
        """

    static func planRecord(_ row: PostgresRow) throws -> PlanRecord {
        let zone = TimeZone.named(try row.decode(String.self, "time_zone"))
        return PlanRecord(
            id: try row.decode(UUID.self, "id"), number: try row.decode(String.self, "number"), title: try row.decode(String.self, "title"),
            description: try row.decode(String?.self, "description"), basis: try row.decode(String?.self, "basis"),
            issuedOn: LocalDate(try row.decode(String.self, "issued_on"))!, issuer: try row.decode(String.self, "issuer"),
            monitor: try row.decode(String?.self, "monitor"), basisTask: try row.decode(UUID?.self, "basis_task_id"),
            parentPlan: try row.decode(UUID?.self, "parent_plan"),
            timeZone: try row.decode(String.self, "time_zone"), calendar: try row.decode(String.self, "calendar"),
            createdAt: ZonedTime(try row.decode(Date.self, "created_at"), zone),
            progress: .init(tasks: try row.decode(Int.self, "tasks"), open: try row.decode(Int.self, "open"),
                            closed: try row.decode(Int.self, "closed"), closedOnTime: try row.decode(Int.self, "closed_on_time"),
                            cancelled: try row.decode(Int.self, "cancelled"), overdue: try row.decode(Int.self, "overdue"),
                            plans: try row.decode(Int.self, "plans")),
            indicators: nil)
    }

    /// Creates a plan and all its tasks in one transaction.
    ///
    /// - Parameter who: the committee member issuing it (nil for the admin CLI, which may issue for any agency).
    /// - Returns: the plan with its progress, and how many tasks were created (fan-outs expanded).
    public func createPlan(_ document: PlanDocument, by who: Principal?) async throws -> (plan: PlanRecord, tasks: Int) {
        try who?.mayIssuePlans()
        return try await pool.transaction { conn in try self.insertPlan(conn, document, by: who) }
    }

    /// What importing `document` would create, computed by importing it in a transaction that is then
    /// rolled back: nothing is written. Errors are those the import itself would give.
    public func previewPlan(_ document: PlanDocument, by who: Principal?) async throws -> PlanPreview {
        try who?.mayIssuePlans()
        struct Preview: Error { let value: PlanPreview }
        do {
            _ = try await pool.transaction { conn -> Int in
                let (plan, count) = try self.insertPlan(conn, document, by: who)
                let tasks = try conn.query(Self.taskSelect + " WHERE t.plan_id = \(plan.id) ORDER BY t.created_at, t.id").map { try Self.loadedTask($0).record }
                throw Preview(value: PlanPreview(plan: plan, created: count, tasks: tasks))
            }
        } catch let preview as Preview {
            return preview.value
        }
        throw BatonError(.internalError, "the preview was not computed")
    }

    func insertPlan(_ conn: PostgresConnection, _ document: PlanDocument, by who: Principal?) throws -> (plan: PlanRecord, tasks: Int) {
        // An unknown issuer is bad input (422) before it is someone else's agency (403).
        let parties = try Self.agencyIDs(conn, codes: [document.issuer] + (document.monitor.map { [$0] } ?? [])) { $0 == 0 ? "issuer" : "monitor" }
        if let who, who.agency != document.issuer {
            throw BatonError(.forbidden, "a committee member issues plans for its own agency (\(who.agency ?? "none")), not for \(document.issuer)")
        }
        let basis = try document.basisTask.map { try Self.basisTask(conn, $0, issuer: document.issuer) }
        guard try self.calendar(conn, name: document.calendar) != nil else {
            throw BatonError.invalid("calendar", "no working calendar is named \(document.calendar); load it with baton workflow load")
        }
        let row = try mapped({
            try conn.query("""
                WITH above AS (
                    SELECT lineage, overseers, monitors FROM plans WHERE id = \(basis?.plan)
                ), new AS (SELECT baton_uuid7() AS id)
                INSERT INTO plans (id, number, title, description, basis, issued_on, issuer_id, monitor_id, time_zone, calendar, created_by,
                                   basis_task_id, lineage, overseers, monitors)
                SELECT new.id, \(document.number), \(document.title), \(document.description), \(document.basis), \(document.issuedOn.description)::date,
                       \(parties[0]), \(parties.count > 1 ? parties[1] : nil), \(document.timeZone), \(document.calendar), \(who?.userID),
                       \(basis?.task), coalesce((SELECT lineage FROM above), '{}') || new.id,
                       coalesce((SELECT overseers FROM above), '{}') || \(parties[0])::bigint,
                       coalesce((SELECT monitors FROM above), '{}') || array_remove(ARRAY[\(parties.count > 1 ? parties[1] : nil)]::bigint[], NULL)
                FROM new
                RETURNING id, baton_now() AS now
                """)[0]
        }, conflict: "a plan numbered \(document.number) already exists")
        let planID = try row.decode(UUID.self, "id")
        let now = try row.decode(Date.self, "now")
        let plan = PlanContext(id: planID, issuerID: parties[0], zone: document.timeZone, calendar: document.calendar, limit: basis?.dueAt)
        for (i, indicator) in document.indicators.enumerated() {
            if let form = indicator.reportedBy {
                _ = try Self.reachedAgencies(conn, form, issuer: parties[0], field: "indicators[\(i)].reported_by")
            }
            try conn.query("""
                INSERT INTO plan_indicators (plan_id, key, position, name, unit, direction, target, baseline, reported_by)
                VALUES (\(planID), \(indicator.key), \(i), \(indicator.name), \(indicator.unit.rawValue), \(indicator.direction.rawValue),
                        \(indicator.target), \(indicator.baseline), \(indicator.reportedBy?.json.jsonText)::jsonb)
                """)
        }
        var created = 0
        for (i, spec) in document.tasks.enumerated() {
            created += try self.insertTask(conn, plan: plan, spec: spec, path: "tasks[\(i)]", startDay: document.issuedOn, now: now, by: who).leaves
        }
        let record = try Self.planRecord(conn.query(Self.planSelect + " WHERE p.id = \(planID)")[0])
        return (record, created)
    }

    /// A plan the caller sees, with progress and indicators; otherwise `not_found`.
    public func plan(id: UUID, for who: Principal) async throws -> PlanRecord {
        var plan = try await pool.withConnection { conn in
            guard let row = try conn.query(Self.planSelect + " WHERE p.id = \(id) AND (\(fragment: Self.planVisible(who)))").single else {
                throw BatonError.notFound("plan \(id.lower)")
            }
            return try Self.planRecord(row)
        }
        plan.indicators = try await indicators(planID: id, for: nil)
        return plan
    }

    /// The plans the caller sees, newest first.
    public func plans(for who: Principal, page: Page) async throws -> Paged<PlanRecord> {
        let after = try page.after { UUID(hex: $0) }
        return try await reads.withConnection { conn in
            let rows = try conn.query(Self.planSelect + """
                 WHERE (\(fragment: Self.planVisible(who))) AND (\(after)::uuid IS NULL OR p.id < \(after))
                ORDER BY p.id DESC LIMIT \(page.limit + 1)
                """)
            return Paged(fetched: try rows.map(Self.planRecord), limit: page.limit) { $0.id.lower }
        }
    }

    /// The task a new plan delivers: it must exist, be open, and be led by the new plan's issuer.
    static func basisTask(_ conn: PostgresConnection, _ ref: PlanDocument.BasisTask, issuer: String) throws -> (task: UUID, plan: UUID, dueAt: Date?) {
        let row: PostgresRow?
        switch ref {
        case .id(let id):
            row = try conn.query("""
                SELECT t.id, t.plan_id, t.due_at, t.open, la.code AS lead FROM tasks t LEFT JOIN agencies la ON la.id = t.lead_id
                WHERE t.id = \(id) AND la.code = \(issuer)
                """).single
        case .key(let number, let key):
            // The task itself, or — for a fan-out or recurring task — its child led by the issuer (latest due first).
            row = try conn.query("""
                SELECT t.id, t.plan_id, t.due_at, t.open, la.code AS lead
                FROM plans p JOIN tasks top ON top.plan_id = p.id AND top.parent_id IS NULL AND top.key = \(key)
                JOIN tasks t ON t.id = top.id OR t.parent_id = top.id
                LEFT JOIN agencies la ON la.id = t.lead_id
                WHERE p.number = \(number) AND t.leaf AND la.code = \(issuer)
                ORDER BY t.open DESC, t.due_at DESC NULLS LAST LIMIT 1
                """).single
        }
        // Another agency's task reads exactly as one that does not exist: the plan's issuer must lead it.
        guard let row else {
            throw BatonError.invalid("basis_task", "no task led by \(issuer) matches the basis task")
        }
        guard try row.decode(Bool.self, "open") else { throw BatonError.invalid("basis_task", "the task it delivers is no longer open") }
        return (try row.decode(UUID.self, "id"), try row.decode(UUID.self, "plan_id"), try row.decode(Date?.self, "due_at"))
    }
}

/// What importing a plan document would create (`previewPlan`): the plan, and every task with its
/// lead and due time, fan-out parents with their children.
public struct PlanPreview: Sendable {
    public let plan: PlanRecord
    /// Leaf tasks created (fan-outs expanded).
    public let created: Int
    /// Every task row, parents first.
    public let tasks: [TaskRecord]
}

extension BatonStore {
    /// A plan named by its id or by its number (`204/KH-BCĐ138`), for the admin CLI; `field` names the option.
    public func planID(_ reference: String, field: String = "plan") async throws -> UUID {
        if let id = UUID(hex: reference) { return id }
        guard let row = try await statements.query("SELECT id FROM plans WHERE number = \(reference)").single else {
            throw BatonError.invalid(field, "no plan has the id or number '\(reference.prefix(80))'")
        }
        return try row.decode(UUID.self, "id")
    }

    /// Every plan, newest first, with progress (the admin's `baton plan list`).
    public func allPlans() async throws -> [PlanRecord] {
        try await pool.withConnection { conn in
            try conn.query(Self.planSelect + " ORDER BY p.created_at DESC, p.id DESC").map(Self.planRecord)
        }
    }
}

/// A plan by its number and title, for choosing one (no progress counted).
public struct PlanTitle: Sendable, Hashable {
    public let id: UUID
    public let number: String
    public let title: String

    /// How a person picks it from a list: "204/KH-BCĐ138 — Phòng ngừa …".
    public var label: String { "\(number) — \(title)" }

    init(_ row: PostgresRow) throws {
        id = try row.decode(UUID.self, "id")
        number = try row.decode(String.self, "number")
        title = try row.decode(String.self, "title")
    }
}

extension BatonStore {
    /// The plans the caller sees, newest first (at most 500), by number and title only: cheap enough for
    /// every page's plan picker, where `plans(for:)` also counts each plan's progress.
    public func planTitles(for who: Principal) async throws -> [PlanTitle] {
        try await pool.withConnection { conn in
            try conn.query("""
                SELECT p.id, p.number, p.title FROM plans p WHERE (\(fragment: Self.planVisible(who))) ORDER BY p.id DESC LIMIT 500
                """).map(PlanTitle.init)
        }
    }
}

extension BatonStore {
    /// These plans (those of tasks the caller already sees) by number and title, by id.
    public func planTitles(ids: [UUID]) async throws -> [UUID: PlanTitle] {
        guard !ids.isEmpty else { return [:] }
        return try await statements.query("SELECT id, number, title FROM plans WHERE id = ANY(\(Array(Set(ids)))::uuid[])")
            .reduce(into: [:]) { out, row in let plan = try PlanTitle(row); out[plan.id] = plan }
    }
}

/// A plan's number, title and the indicators agencies report, for the page of a task in it.
public struct PlanHeading: Sendable, Hashable {
    public struct Indicator: Sendable, Hashable {
        public let key: String
        public let name: String
        public let unit: String
    }
    public let plan: PlanTitle
    public let indicators: [Indicator]
}

extension BatonStore {
    /// The heading of the plan a visible task belongs to (no progress counted).
    public func planHeading(id: UUID) async throws -> PlanHeading {
        try await pool.withConnection { conn in
            guard let row = try conn.query("SELECT id, number, title FROM plans WHERE id = \(id)").single else { throw BatonError.notFound("plan \(id.lower)") }
            let indicators = try conn.query("SELECT key, name, unit FROM plan_indicators WHERE plan_id = \(id) ORDER BY position").map {
                PlanHeading.Indicator(key: try $0.decode(String.self, "key"), name: try $0.decode(String.self, "name"), unit: try $0.decode(String.self, "unit"))
            }
            return PlanHeading(plan: try PlanTitle(row), indicators: indicators)
        }
    }
}

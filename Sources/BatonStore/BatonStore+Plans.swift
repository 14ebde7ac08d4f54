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
        public func write(to w: inout JSONWriter) {
            w.openObject()
            w.field("tasks", tasks)
            w.field("open", open)
            w.field("closed", closed)
            w.field("closed_on_time", closedOnTime)
            w.field("cancelled", cancelled)
            w.field("overdue", overdue)
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
    public let timeZone: String
    public let calendar: String
    public let createdAt: ZonedTime
    public let progress: Progress

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
        w.field("time_zone", timeZone)
        w.field("calendar", calendar)
        w.field("created_at", createdAt)
        w.field("progress", progress)
        w.closeObject()
    }
}

extension BatonStore {
    static let planSelect: PostgresQuery = """
        SELECT p.id, p.number, p.title, p.description, p.basis, p.issued_on::text AS issued_on, ia.code AS issuer,
               ma.code AS monitor, p.basis_task_id, p.time_zone, p.calendar, p.created_at,
               pr.tasks, pr.open, pr.closed, pr.closed_on_time, pr.cancelled, pr.overdue
        FROM plans p
        JOIN agencies ia ON ia.id = p.issuer_id
        LEFT JOIN agencies ma ON ma.id = p.monitor_id
        CROSS JOIN LATERAL (
            SELECT count(*) AS tasks,
                   count(*) FILTER (WHERE t.open) AS open,
                   count(*) FILTER (WHERE t.closed_at IS NOT NULL) AS closed,
                   count(*) FILTER (WHERE t.on_time) AS closed_on_time,
                   count(*) FILTER (WHERE NOT t.open AND t.closed_at IS NULL) AS cancelled,
                   count(*) FILTER (WHERE t.open AND t.due_at <= (SELECT baton_now())) AS overdue
            FROM tasks t WHERE t.plan_id = p.id AND t.leaf
        ) pr
        """

    static func planRecord(_ row: PostgresRow) throws -> PlanRecord {
        let zone = TimeZone.named(try row.decode(String.self, "time_zone"))
        return PlanRecord(
            id: try row.decode(UUID.self, "id"), number: try row.decode(String.self, "number"), title: try row.decode(String.self, "title"),
            description: try row.decode(String?.self, "description"), basis: try row.decode(String?.self, "basis"),
            issuedOn: LocalDate(try row.decode(String.self, "issued_on"))!, issuer: try row.decode(String.self, "issuer"),
            monitor: try row.decode(String?.self, "monitor"), basisTask: try row.decode(UUID?.self, "basis_task_id"),
            timeZone: try row.decode(String.self, "time_zone"), calendar: try row.decode(String.self, "calendar"),
            createdAt: ZonedTime(try row.decode(Date.self, "created_at"), zone),
            progress: .init(tasks: try row.decode(Int.self, "tasks"), open: try row.decode(Int.self, "open"),
                            closed: try row.decode(Int.self, "closed"), closedOnTime: try row.decode(Int.self, "closed_on_time"),
                            cancelled: try row.decode(Int.self, "cancelled"), overdue: try row.decode(Int.self, "overdue")))
    }

    /// Creates a plan and all its tasks in one transaction.
    ///
    /// - Parameter who: the committee member issuing it (nil for the admin CLI, which may issue for any agency).
    /// - Returns: the plan with its progress, and how many tasks were created (fan-outs expanded).
    public func createPlan(_ document: PlanDocument, by who: Principal?) async throws -> (plan: PlanRecord, tasks: Int) {
        if let who {
            guard who.has(.committee) else { throw BatonError(.forbidden, "only a committee member issues plans") }
            guard who.agency == document.issuer else {
                throw BatonError(.forbidden, "a committee member issues plans for its own agency (\(who.agency ?? "none")), not for \(document.issuer)")
            }
        }
        return try await pool.transaction { conn in
            let parties = try Self.agencyIDs(conn, codes: [document.issuer] + (document.monitor.map { [$0] } ?? [])) { $0 == 0 ? "issuer" : "monitor" }
            guard try self.calendar(conn, name: document.calendar) != nil else {
                throw BatonError.invalid("calendar", "no working calendar is named \(document.calendar); load it with baton workflow load")
            }
            let row = try mapped({
                try conn.query("""
                    INSERT INTO plans (number, title, description, basis, issued_on, issuer_id, monitor_id, time_zone, calendar, created_by)
                    VALUES (\(document.number), \(document.title), \(document.description), \(document.basis), \(document.issuedOn.description)::date,
                            \(parties[0]), \(parties.count > 1 ? parties[1] : nil), \(document.timeZone), \(document.calendar), \(who?.userID))
                    RETURNING id, baton_now() AS now
                    """)[0]
            }, conflict: "a plan numbered \(document.number) already exists")
            let planID = try row.decode(UUID.self, "id")
            let now = try row.decode(Date.self, "now")
            let plan = PlanContext(id: planID, issuerID: parties[0], zone: document.timeZone, calendar: document.calendar)
            for (i, indicator) in document.indicators.enumerated() {
                try conn.query("""
                    INSERT INTO plan_indicators (plan_id, key, position, name, unit, direction, target, baseline, reported_by)
                    VALUES (\(planID), \(indicator.key), \(i), \(indicator.name), \(indicator.unit.rawValue), \(indicator.direction.rawValue),
                            \(indicator.target), \(indicator.baseline), \(indicator.reportedBy?.json.jsonText)::jsonb)
                    """)
            }
            var created = 0
            for (i, spec) in document.tasks.enumerated() {
                created += try self.insertTask(conn, plan: plan, spec: spec, path: "tasks[\(i)]", startDay: document.issuedOn, now: now, by: who)
            }
            let record = try Self.planRecord(conn.query(Self.planSelect + " WHERE p.id = \(planID)")[0])
            return (record, created)
        }
    }

    /// A plan the caller sees, with progress; otherwise `not_found`.
    public func plan(id: UUID, for who: Principal) async throws -> PlanRecord {
        try await pool.withConnection { conn in
            guard let row = try conn.query(Self.planSelect + " WHERE p.id = \(id) AND (\(fragment: Self.planVisible(who)))").single else {
                throw BatonError.notFound("plan \(id)")
            }
            return try Self.planRecord(row)
        }
    }

    /// The plans the caller sees, newest first.
    public func plans(for who: Principal, page: Page) async throws -> Paged<PlanRecord> {
        let after = try page.after.map { a -> UUID in
            guard let id = UUID(hex: a) else { throw BatonError.invalid("cursor", "is not a cursor this server issued") }
            return id
        }
        return try await pool.withConnection { conn in
            let rows = try conn.query(Self.planSelect + """
                 WHERE (\(fragment: Self.planVisible(who))) AND (\(after)::uuid IS NULL OR p.id < \(after))
                ORDER BY p.id DESC LIMIT \(page.limit + 1)
                """)
            return Paged(fetched: try rows.map(Self.planRecord), limit: page.limit) { $0.id.lower }
        }
    }
}

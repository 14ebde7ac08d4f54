import BatonCore
import Foundation
import Postgres

/// One entry of a task's history.
public struct EventRecord: Sendable, JSONWritable {
    public let seq: Int
    public let at: ZonedTime
    public let actor: String
    public let agency: String?
    public let name: String
    public let from: String?
    public let to: String?
    public let note: String?
    public let params: JSONValue

    public func write(to w: inout JSONWriter) {
        w.openObject()
        w.field("seq", seq)
        w.field("at", at)
        w.field("actor", actor)
        w.field("agency", agency)
        w.field("name", name)
        w.field("from", from)
        w.field("to", to)
        w.field("note", note)
        w.field("params", params)
        w.closeObject()
    }

    init(row: PostgresRow, zone: TimeZone) throws {
        seq = try row.decode(Int.self, "seq")
        at = ZonedTime(try row.decode(Date.self, "at"), zone)
        actor = try row.decode(String.self, "actor")
        agency = try row.decode(String?.self, "agency")
        name = try row.decode(String.self, "name")
        from = try row.decode(String?.self, "from_state")
        to = try row.decode(String?.self, "to_state")
        note = try row.decode(String?.self, "note")
        params = try JSONParser.parse(try row.decode(String.self, "params"))
    }
}

extension BatonStore {
    static let eventSelect: PostgresQuery = """
        SELECT e.seq, e.at, e.actor, a.code AS agency, e.name, e.from_state, e.to_state, e.note, e.params
        FROM task_events e LEFT JOIN agencies a ON a.id = e.agency_id
        """

    /// A task's events, oldest first.
    public func events(taskID: UUID, for who: Principal, page: Page) async throws -> Paged<EventRecord> {
        let after = try page.after { Int($0) }
        let task = try await visibleTask(id: taskID, for: who, children: false)
        let rows = try await statements.query(Self.eventSelect + """
             WHERE e.task_id = \(taskID) AND (\(after)::int IS NULL OR e.seq > \(after))
            ORDER BY e.seq LIMIT \(page.limit + 1)
            """)
        return Paged(fetched: try rows.map { try EventRecord(row: $0, zone: task.zone) }, limit: page.limit) { String($0.seq) }
    }

    /// One event of a task.
    public func event(taskID: UUID, seq: Int, for who: Principal) async throws -> EventRecord {
        let task = try await visibleTask(id: taskID, for: who, children: false)
        guard let row = try await statements.query(Self.eventSelect + " WHERE e.task_id = \(taskID) AND e.seq = \(seq)").single else {
            throw BatonError.notFound("event \(seq) of task \(taskID.lower)")
        }
        return try EventRecord(row: row, zone: task.zone)
    }

    /// Adds a comment: an event named `comment` that changes nothing else (the version stays).
    /// Anyone who sees the task may comment, except a viewer, who only reads.
    public func comment(taskID: UUID, body: String, by who: Principal) async throws -> EventRecord {
        let task = try await visibleTask(id: taskID, for: who, children: false)
        guard who.roles.contains(where: { $0 != .viewer }) else { throw BatonError(.forbidden, "a viewer reads but does not comment") }
        // One statement: the event, its outbox row and the notifications, together or not at all.
        let row = try await statements.query("""
                WITH u AS (
                    UPDATE tasks SET seq = seq + 1 WHERE id = \(taskID) RETURNING id, seq
                ), e AS (
                    INSERT INTO task_events (task_id, seq, at, actor_id, actor, agency_id, name, from_state, to_state, note, params)
                    SELECT u.id, u.seq, \(task.now), \(who.userID), \(who.login), \(who.agencyID), 'comment', NULL, NULL, \(body), '{}'::jsonb
                    FROM u
                    RETURNING seq
                ), o AS (
                    INSERT INTO outbox (task_id, event_seq)
                    SELECT u.id, u.seq FROM u
                ), n AS (
                    -- The lead and the cooperating agencies hear of it, not the author's own agency.
                    INSERT INTO notifications (agency_id, task_id, event_seq, kind, created_at)
                    SELECT r.agency_id, u.id, u.seq, 'comment', \(task.now)
                    FROM u CROSS JOIN LATERAL (
                        SELECT t.lead_id AS agency_id FROM tasks t WHERE t.id = u.id AND t.lead_id IS NOT NULL
                        UNION SELECT c.agency_id FROM task_cooperators c WHERE c.task_id = u.id) r
                    WHERE r.agency_id IS DISTINCT FROM \(who.agencyID)
                )
                SELECT seq FROM e
                """)[0]
        let seq = try row.decode(Int.self, "seq")
        return try EventRecord(row: await statements.query(Self.eventSelect + " WHERE e.task_id = \(taskID) AND e.seq = \(seq)")[0], zone: task.zone)
    }
}

extension BatonStore {
    /// The newest change recorded (the outbox's last row): pages that follow the board ask this to
    /// know whether anything moved.
    public func latestChange() async throws -> Int64 {
        try await statements.query("SELECT coalesce(max(id), 0) AS id FROM outbox")[0].decode(Int64.self, "id")
    }
}

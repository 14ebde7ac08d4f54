import BatonCore
import Foundation
import Postgres

/// One entry of an agency's inbox.
public struct NotificationRecord: Sendable, JSONWritable {
    public let id: Int64
    public let kind: String
    public let taskID: UUID
    public let taskTitle: String
    public let planID: UUID
    public let eventSeq: Int
    public let at: ZonedTime
    public let readAt: ZonedTime?

    public func write(to w: inout JSONWriter) {
        w.openObject()
        w.field("id", Int(id))
        w.field("kind", kind)
        w.field("task_id", taskID.lower)
        w.field("task_title", taskTitle)
        w.field("plan_id", planID.lower)
        w.field("event_seq", eventSeq)
        w.field("at", at)
        w.field("read", readAt != nil)
        w.field("read_at", readAt)
        w.closeObject()
    }

    init(row: PostgresRow) throws {
        let zone = TimeZone.named(try row.decode(String.self, "time_zone"))
        id = try row.decode(Int64.self, "id")
        kind = try row.decode(String.self, "kind")
        taskID = try row.decode(UUID.self, "task_id")
        taskTitle = try row.decode(String.self, "title")
        planID = try row.decode(UUID.self, "plan_id")
        eventSeq = try row.decode(Int.self, "event_seq")
        at = ZonedTime(try row.decode(Date.self, "created_at"), zone)
        readAt = try row.decode(Date?.self, "read_at").map { ZonedTime($0, zone) }
    }
}

extension BatonStore {
    static let notificationSelect: PostgresQuery = """
        SELECT n.id, n.kind, n.task_id, t.title, t.plan_id, n.event_seq, n.created_at, n.read_at, p.time_zone
        FROM notifications n JOIN tasks t ON t.id = n.task_id JOIN plans p ON p.id = t.plan_id
        """

    /// The caller's agency inbox, newest first.
    public func notifications(for who: Principal, unreadOnly: Bool, page: Page) async throws -> Paged<NotificationRecord> {
        let before = try page.after { Int64($0) }
        return try await pool.withConnection { conn in
            let rows = try conn.query(Self.notificationSelect + """
                 WHERE \(fragment: Self.notificationVisible(who)) AND (NOT \(unreadOnly) OR n.read_at IS NULL)
                   AND (\(before)::bigint IS NULL OR n.id < \(before))
                ORDER BY n.id DESC LIMIT \(page.limit + 1)
                """)
            return Paged(fetched: try rows.map(NotificationRecord.init(row:)), limit: page.limit) { String($0.id) }
        }
    }

    /// Marks a notification of the caller's agency read (again: no change).
    public func markRead(notification id: Int64, by who: Principal) async throws -> NotificationRecord {
        return try await pool.withConnection { conn in
            try conn.query("""
                UPDATE notifications n SET read_at = coalesce(read_at, baton_now()), read_by = coalesce(read_by, \(who.userID))
                WHERE n.id = \(id) AND \(fragment: Self.notificationVisible(who))
                """)
            guard let row = try conn.query(Self.notificationSelect + " WHERE n.id = \(id) AND \(fragment: Self.notificationVisible(who))").single else {
                throw BatonError.notFound("notification \(id)")
            }
            return try NotificationRecord(row: row)
        }
    }
}

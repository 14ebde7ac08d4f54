import BatonCore
import BatonStore
import BatonTestSupport
import Foundation
import Postgres
import Testing

/// The history is tamper-evident: edits, deletions and reorderings by a superuser with the
/// append-only triggers disabled are each found by the chain check, naming the first broken link.
@Suite struct AuditTests {
    /// A store on a fresh database connected as the server is, a superuser connection to the same
    /// database, and a task with a history of six events.
    static func withHistory(_ body: (BatonStore, PostgresConnection, TaskRecord, World) async throws -> Void) async throws {
        let (owner, app) = try await TestCluster.freshDatabaseRoles()
        let store = BatonStore(pool: PostgresPool(configuration: app, size: 4))
        let admin = try PostgresConnection(owner)
        do {
            let w = try await World.make(store)
            let task = try await w.task(try await w.plan())
            for (name, note, who) in [("acknowledge", nil, w.police), ("acknowledge", nil, w.education), ("start", nil, w.police),
                                      ("submit", "Đã xong", w.police), ("close", nil, w.chair)] as [(String, String?, Principal)] {
                _ = try await store.transition(taskID: task.id, request: .init(name: name, note: note), ifMatch: nil, by: who)
            }
            try await body(store, admin, task, w)
        } catch {
            admin.close()
            await store.shutdown()
            throw error
        }
        admin.close()
        await store.shutdown()
    }

    /// Runs `sql` as a superuser with the application's triggers off, as an intruder would.
    static func tamper(_ conn: PostgresConnection, _ sql: String) throws {
        try conn.execute("ALTER TABLE task_events DISABLE TRIGGER USER")
        try conn.execute(sql)
        try conn.execute("ALTER TABLE task_events ENABLE TRIGGER USER")
    }

    @Test("the server's role adds to the history but cannot change it, nor the migrations' record", arguments: [
        "UPDATE task_events SET note = 'Đã xong sớm' WHERE seq = 5",
        "DELETE FROM task_events WHERE seq = 6",
        "TRUNCATE task_events CASCADE",
        "ALTER TABLE task_events DISABLE TRIGGER USER",
        "INSERT INTO schema_migrations (version, name, checksum) VALUES (999, 'x', 'x')",
        "DELETE FROM schema_migrations",
    ])
    func theServersRoleCannotRewrite(sql: String) async throws {
        try await Self.withHistory { store, admin, task, _ in
            #expect(try await store.mayRewriteHistory() == false)
            await #expect(throws: BatonError.self) {
                try await store.pool.withConnection { try $0.execute(sql) }
            }
            let count = try admin.query("SELECT count(*)::int AS n FROM task_events WHERE task_id = \(task.id)")[0].decode(Int.self, "n")
            #expect(count == 6)
            #expect(try await store.verifyAudit(plan: nil).firstBreak == nil)
            let owner = BatonStore(pool: PostgresPool(configuration: try await TestCluster.freshDatabase(), size: 1))
            #expect(try await owner.mayRewriteHistory(), "the owner's connection is told apart")
            await owner.shutdown()
        }
    }

    @Test func anUntouchedHistoryHolds() async throws {
        try await Self.withHistory { store, _, task, w in
            _ = try await store.comment(taskID: task.id, body: "Ghi chú | có dấu \"ngoặc\" và\ndòng mới", by: w.police)
            let report = try await store.verifyAudit(plan: nil)
            #expect(report.firstBreak == nil && report.events >= 7 && report.tasks >= 1)
            #expect(try await store.verifyAudit(plan: "204/KH-BCĐ138").firstBreak == nil, "by plan number")
        }
    }

    @Test("each kind of tampering is named", arguments: [
        ("UPDATE task_events SET note = 'Đã xong sớm' WHERE seq = 5", 5, "altered"),
        ("UPDATE task_events SET at = at - interval '2 days' WHERE seq = 2", 2, "altered"),
        ("UPDATE task_events SET actor = 'someone' WHERE seq = 1", 1, "altered"),
        ("DELETE FROM task_events WHERE seq = 3", 4, "missing or out of order"),
        ("DELETE FROM task_events WHERE seq = 6", 5, "events after it are missing"),
        ("DELETE FROM task_events", 0, "whole history is missing"),
        ("UPDATE task_events SET seq = -seq WHERE seq IN (3, 4); UPDATE task_events SET seq = CASE seq WHEN -3 THEN 4 ELSE 3 END WHERE seq < 0", 3, "altered"),
    ])
    func tamperingIsFound(sql: String, seq: Int, problem: String) async throws {
        try await Self.withHistory { store, admin, task, _ in
            try Self.tamper(admin, sql)
            let report = try await store.verifyAudit(plan: nil)
            let found = try #require(report.firstBreak, "\(sql) went unnoticed")
            #expect(found.task == task.id && found.seq == seq && found.problem.contains(problem), "\(sql): \(found)")
        }
    }

    @Test func rewritingAnEventsHashToMatchBreaksTheNextLink() async throws {
        try await Self.withHistory { store, admin, task, _ in
            try Self.tamper(admin, """
                UPDATE task_events e SET note = 'Đã xong sớm',
                    hash = baton_event_hash((SELECT p.hash FROM task_events p WHERE p.task_id = e.task_id AND p.seq = e.seq - 1),
                                            e.task_id, e.seq, e.at, e.actor_id, e.actor, e.agency_id, e.name, e.from_state, e.to_state, 'Đã xong sớm', e.params)
                WHERE seq = 5
                """)
            let found = try #require(try await store.verifyAudit(plan: nil).firstBreak)
            #expect(found.task == task.id && found.seq == 6, "the forged event's successor no longer links to it")
        }
    }
}

@Suite struct TokenExpiryTests {
    @Test func aTokenWorksUntilItsExpiry() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            try await store.setClock(fixedAt: RFC3339.parse("2026-03-02T08:00:00+07:00")!, offset: nil)
            let token = try await store.issueToken(login: w.police.login, label: "integration", expiresIn: 90 * 86400)
            let forever = try await store.issueToken(login: w.police.login)
            try await store.setClock(fixedAt: RFC3339.parse("2026-05-30T07:59:00+07:00")!, offset: nil)
            #expect(try await store.authenticate(token: token)?.login == "ca")
            try await store.setClock(fixedAt: RFC3339.parse("2026-05-31T08:00:01+07:00")!, offset: nil)
            #expect(try await store.authenticate(token: token) == nil, "90 days later it is refused")
            #expect(try await store.authenticate(token: forever)?.login == "ca")
        }
    }
}

@Suite struct IdempotencyTakeoverTests {
    @Test func aClaimLeftWithoutAnAnswerIsTakenOverAfterAWhile() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            let request = Data("POST /v1/tasks/x/transitions\n{\"name\":\"start\"}".utf8)
            guard case .claimed = try await store.claimIdempotency(userID: w.police.userID, key: "k-1", request: request) else {
                Issue.record("the first claim")
                return
            }
            // The database went away before the answer was recorded: a quick repeat waits…
            guard case .inFlight = try await store.claimIdempotency(userID: w.police.userID, key: "k-1", request: request) else {
                Issue.record("a claim just made is in flight")
                return
            }
            try await store.pool.withConnection { conn in
                try conn.query("UPDATE idempotency_keys SET created_at = now() - interval '11 seconds'")
            }
            // …but a claim abandoned longer than any request runs is taken over.
            guard case .claimed = try await store.claimIdempotency(userID: w.police.userID, key: "k-1", request: request) else {
                Issue.record("an abandoned claim is taken over")
                return
            }
            // A different request with the same key is never taken over.
            try await store.pool.withConnection { conn in
                try conn.query("UPDATE idempotency_keys SET created_at = now() - interval '11 seconds'")
            }
            guard case .mismatch = try await store.claimIdempotency(userID: w.police.userID, key: "k-1", request: Data("other".utf8)) else {
                Issue.record("another request with the key")
                return
            }
        }
    }
}

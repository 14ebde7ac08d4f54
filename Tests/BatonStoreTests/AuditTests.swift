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
                    hash = baton_event_hash_2((SELECT p.hash FROM task_events p WHERE p.task_id = e.task_id AND p.seq = e.seq - 1),
                                              e.task_id, e.seq, e.at, e.actor_id, e.actor, e.agency_id, e.name, e.from_state, e.to_state, 'Đã xong sớm', e.params)
                WHERE seq = 5
                """)
            let found = try #require(try await store.verifyAudit(plan: nil).firstBreak)
            #expect(found.task == task.id && found.seq == 6, "the forged event's successor no longer links to it")
        }
    }
    /// The trigger finds the previous event through the primary key even in a session that began while
    /// the history was a handful of rows (its plan is kept for the session): a statement that writes
    /// thousands of events scans none, and the chain it writes holds.
    @Test func aLongStatementInASessionBegunSmallChainsByIndex() async throws {
        try await Self.withHistory { store, admin, task, _ in
            try admin.execute("ANALYZE task_events")
            try admin.execute("BEGIN")
            try admin.query("""
                INSERT INTO task_events (task_id, seq, at, actor, name, from_state, to_state, note)
                SELECT \(task.id), g, now(), 'baton', 'comment', 'closed', 'closed', 'Ghi chú số ' || g FROM generate_series(7, 3006) g
                """)
            try admin.query("UPDATE tasks SET seq = 3006 WHERE id = \(task.id)")
            let scans = try admin.query("SELECT coalesce(seq_scan, 0)::int AS n FROM pg_stat_xact_user_tables WHERE relname = 'task_events'")
            try admin.execute("COMMIT")
            #expect(try scans[0].decode(Int.self, "n") < 10, "3,000 events, each looking up the one before")
            let report = try await store.verifyAudit(plan: nil)
            #expect(report.firstBreak == nil && report.events >= 3006)
        }
    }

    /// Events written before migration 0014 keep their first-form hash: a history that starts in the first
    /// form and goes on in the second holds, and each form's rule still finds an edit.
    static let firstFormHistory = """
        WITH RECURSIVE chain AS (
            SELECT e.task_id, e.seq, 1::smallint AS form,
                   baton_event_hash(NULL, e.task_id, e.seq, e.at, e.actor_id, e.actor, e.agency_id, e.name,
                                    e.from_state, e.to_state, e.note, e.params) AS hash
            FROM task_events e WHERE e.seq = 1
            UNION ALL
            SELECT e.task_id, e.seq, CASE WHEN e.seq <= 3 THEN 1 ELSE 2 END::smallint,
                   CASE WHEN e.seq <= 3
                        THEN baton_event_hash(c.hash, e.task_id, e.seq, e.at, e.actor_id, e.actor, e.agency_id, e.name,
                                              e.from_state, e.to_state, e.note, e.params)
                        ELSE baton_event_hash_2(c.hash, e.task_id, e.seq, e.at, e.actor_id, e.actor, e.agency_id, e.name,
                                                e.from_state, e.to_state, e.note, e.params) END
            FROM chain c JOIN task_events e ON e.task_id = c.task_id AND e.seq = c.seq + 1
        )
        UPDATE task_events e SET hash_form = c.form, hash = c.hash FROM chain c WHERE e.task_id = c.task_id AND e.seq = c.seq
        """

    @Test("a history begun in the first form holds, and an edit is found in either form", arguments: [
        ("", nil as Int?),
        ("UPDATE task_events SET note = 'Đã xong sớm' WHERE seq = 2", 2),
        ("UPDATE task_events SET note = 'Đã xong sớm' WHERE seq = 5", 5),
        ("UPDATE task_events SET hash_form = 2 WHERE seq = 3", 3),
        ("UPDATE task_events SET hash_form = 7 WHERE seq = 4", 4),
    ])
    func bothForms(edit: String, brokenAt: Int?) async throws {
        try await Self.withHistory { store, admin, task, _ in
            try Self.tamper(admin, Self.firstFormHistory)
            let forms = try admin.query("SELECT string_agg(hash_form::text, '' ORDER BY seq) AS f FROM task_events WHERE task_id = \(task.id)")
            #expect(try forms[0].decode(String.self, "f") == "111222")
            #expect(try await store.verifyAudit(plan: nil).firstBreak == nil, "the relinked history holds")
            guard let brokenAt else { return }
            try Self.tamper(admin, edit)
            let found = try #require(try await store.verifyAudit(plan: nil).firstBreak, "\(edit) went unnoticed")
            #expect(found.task == task.id && found.seq == brokenAt && found.problem.contains("altered"), "\(edit): \(found)")
        }
    }

    /// The second form's message is unambiguous and does not depend on the session: fields that would
    /// run together, NULL and '', and the same instant under any time zone or date style hash apart or alike
    /// exactly as they should.
    @Test func theSecondFormsMessage() async throws {
        let conn = try PostgresConnection(try await TestCluster.freshDatabase())
        defer { conn.close() }
        func hash(_ actor: String?, _ note: String?, at: String = "2026-03-02T08:00:00+07:00", _ setting: String = "") throws -> String {
            if !setting.isEmpty { try conn.execute(setting) }
            return try conn.query("""
                SELECT encode(baton_event_hash_2(NULL, '0195f4a4-0000-7000-8000-000000000001', 1, \(at)::timestamptz, 7, \(actor), 3,
                                                 'submit', 'started', 'submitted', \(note), '{"a": "b,c"}'::jsonb), 'hex') AS h
                """)[0].decode(String.self, "h")
        }
        let base = try hash("Công an", "Đã xong")
        #expect(try hash("Công an,", "Đã xong") != base)
        #expect(try hash("Công an", ",Đã xong") != base)
        #expect(try hash("a,b", nil) != hash("a", "b"))
        #expect(try hash("x", "") != hash("x", nil))
        #expect(try hash("\"x\"", nil) != hash("x", nil))
        #expect(try hash("Công an", "Đã xong", at: "2026-03-02T01:00:00Z") == base, "the same instant")
        #expect(try hash("Công an", "Đã xong", at: "2026-03-02T08:00:00.000001+07:00") != base)
        #expect(try hash("Công an", "Đã xong", "SET TimeZone = 'America/New_York'") == base)
        #expect(try hash("Công an", "Đã xong", "SET DateStyle = 'SQL, DMY'") == base)
        #expect(try hash("Công an", "Đã xong", "SET bytea_output = 'escape'") == base)
        #expect(try hash("Công an", "Đã xong", "SET IntervalStyle = 'postgres_verbose'") == base)
        let first = try conn.query("""
            SELECT encode(baton_event_hash_2(NULL, '0195f4a4-0000-7000-8000-000000000001', 1, now(), 7, 'a', 3, 'submit', NULL, NULL, NULL, '{}'),
                          'hex') = encode(baton_event_hash_2(decode(repeat('00', 32), 'hex'), '0195f4a4-0000-7000-8000-000000000001', 1, now(), 7, 'a', 3,
                                                             'submit', NULL, NULL, NULL, '{}'), 'hex') AS same
            """)[0].decode(Bool.self, "same")
        #expect(first, "a first event links to 32 zero bytes")
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
    /// Two server processes on one database: `store` and `other`.
    @Test func aClaimIsTakenOverOnlyWhenItsFirstAttemptCanNoLongerCommit() async throws {
        let configuration = try await TestCluster.freshDatabase(role: BatonStore.appRole)
        let store = BatonStore(pool: PostgresPool(configuration: configuration, size: 2))
        let other = BatonStore(pool: PostgresPool(configuration: configuration, size: 2))
        do {
            let w = try await World.make(store)
            let user = w.police.userID
            let request = Data("POST /v1/tasks/x/transitions\n{\"name\":\"start\"}".utf8)
            func claim(_ s: BatonStore, _ body: Data? = nil) async throws -> String {
                switch try await s.claimIdempotency(userID: user, key: "k-1", request: body ?? request) {
                case .claimed: "claimed"
                case .inFlight: "in flight"
                case .mismatch: "mismatch"
                case .replay: "replay"
                }
            }
            func age(_ seconds: Int) async throws {
                try await store.pool.withConnection { conn in
                    try conn.query("UPDATE idempotency_keys SET created_at = now() - make_interval(secs => \(seconds))")
                }
            }
            #expect(try await claim(store) == "claimed")
            // While the first attempt runs, a repeat waits: in its own process, and in another, even a while later.
            #expect(try await claim(store) == "in flight")
            try await age(40)
            #expect(try await claim(other) == "in flight", "another process's claim younger than a statement may run")
            // The first attempt failed and its release never reached the database (it went away): the claim
            // stays there, while in its process nothing runs with the key any more.
            let hash = try await store.pool.withConnection { conn in
                try conn.query("SELECT request_hash FROM idempotency_keys WHERE key = 'k-1'")[0].decode(String.self, "request_hash")
            }
            try await store.releaseIdempotency(userID: user, key: "k-1")
            try await store.pool.withConnection { conn in
                try conn.query("INSERT INTO idempotency_keys (user_id, key, request_hash, holder) VALUES (\(user), 'k-1', \(hash), \(store.claimHolder))")
            }
            #expect(try await claim(other) == "in flight", "another process waits")
            #expect(try await claim(store) == "claimed", "its own process, where nothing runs with the key, takes it over at once")
            // A process that died: its claim is taken over once no statement of it can still commit.
            try await age(46)
            #expect(try await claim(other) == "claimed")
            // Answered: repeats get the answer again; a different request with the same key is refused.
            try await other.completeIdempotency(userID: user, key: "k-1", status: 200, headers: [:], body: Data("{}".utf8))
            try await store.releaseIdempotency(userID: user, key: "k-1")  // the attempt `other` took over from ends too
            try await age(46)
            #expect(try await claim(store) == "replay")
            #expect(try await claim(store, Data("other".utf8)) == "mismatch")
        } catch {
            await store.shutdown()
            await other.shutdown()
            throw error
        }
        await store.shutdown()
        await other.shutdown()
    }
}

import BatonCore
@testable import BatonStore
import BatonTestSupport
import Foundation
import Postgres
import Testing

/// The counts the transactions keep (sql/0015_kept_counts.sql) always equal a recount of the tasks, after every
/// kind of change; and the admin's board and statistics read from them are exactly the ones counted from the
/// tasks, for every filter, period and clock.
@Suite struct KeptCountsTests {
    /// A small seeded generator, so a failure happens again on the next run.
    struct Mix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state ^ (state >> 29)
        }
    }

    static let agencies = ["UBND", "BCD", "CA", "VKS", "GDDT", "THCS1", "THCS2"]
    static let periods: [ReportPeriod] = {
        let named = ["2026", "2026-H1", "2026-Q1", "2026-Q2", "2026-03", "2026-02", "2025", "2027-01"].map { try! ReportPeriod(name: $0) }
        return named + [try! ReportPeriod(from: LocalDate("2026-02-15")!, to: LocalDate("2026-03-19")!),
                        try! ReportPeriod(from: LocalDate("2026-03-20")!, to: LocalDate("2026-03-20")!)]
    }()

    /// The kept counts add up to a recount, and every report read from them equals the one counted from the tasks.
    func expectKeptEqualCounted(_ store: BatonStore, _ w: World, _ step: String, agencies: [String] = Self.agencies) async throws {
        let drift = try await store.keptCountsDrift()
        #expect(drift == [], "\(step): \(drift.prefix(10))")
        for who in [nil, w.admin] as [Principal?] {
            for under in [nil] + agencies {
                for kind in [nil, "school", "police"] as [String?] {
                    let filter = BoardFilter(kind: kind, under: under)
                    let kept = try await store.board(filter, for: who)
                    let counted = try await store.board(filter, for: who, recount: true)
                    #expect(kept.rows == counted.rows, "\(step): board under \(under ?? "-") kind \(kind ?? "-")")
                    #expect(kept.csv == counted.csv && Self.json(kept) == Self.json(counted), "\(step): board documents")
                }
                for period in Self.periods {
                    let kept = try await store.stats(period: period, plan: nil, under: under, for: who)
                    let counted = try await store.stats(period: period, plan: nil, under: under, for: who, recount: true)
                    #expect(kept.rows == counted.rows, "\(step): stats \(period) under \(under ?? "-")")
                    #expect(kept.csv == counted.csv && Self.json(kept) == Self.json(counted), "\(step): stats documents")
                }
            }
        }
    }

    static func json(_ value: some JSONWritable) -> [UInt8] {
        var w = JSONWriter()
        value.write(to: &w)
        return w.bytes
    }

    @Test func keptCountsEqualARecountAfterEveryKindOfChange() async throws {
        let (owner, app) = try await TestCluster.freshDatabaseRoles()
        let store = BatonStore(pool: PostgresPool(configuration: app, size: 4))
        do {
            try await scenario(store, owner: owner)
            await store.shutdown()
        } catch {
            await store.shutdown()
            throw error
        }
    }

    func scenario(_ store: BatonStore, owner: PostgresConfiguration) async throws {
        let w = try await World.make(store)
        let gdCommittee = try await World.person(store, "gd.bgh", "GDDT", ["committee"])
        try await store.setClock(fixedAt: RFC3339.parse("2026-03-02T09:00:00+07:00")!, offset: nil)
        try await expectKeptEqualCounted(store, w, "empty")

        // Every shape of work: a plain task with cooperating agencies, a fan-out, a part due before the task,
        // a task without a deadline, and a plan cascaded from one of them (its own fan-out).
        let top = try await store.createPlan(try PlanDocument(json: try JSONValue.parse(yaml: """
            number: 1/KH-BCĐ138
            title: Kế hoạch huyện
            issued_on: 2026-01-05
            issuer: BCD
            monitor: CA
            tasks:
              - {key: unit-plan, title: Phòng GDĐT xây dựng kế hoạch của ngành, lead: GDDT, due: {before: 2026-12-31}}
              - {key: police, title: Công an tuyên truyền, lead: CA, cooperating: [GDDT, VKS], due: {before: 2026-03-20}}
              - {key: schools, title: Các trường tuyên truyền, lead: {each_under: GDDT}, cooperating: [VKS], due: {before: 2026-03-10}}
              - {key: open-ended, title: Theo dõi thường xuyên, lead: THCS1}
              - {key: vks, title: Kiểm sát, lead: VKS, cooperating: [{agency: THCS2, due: {before: 2026-02-20}}, CA], due: {before: 2026-04-30}}
              - {key: ca2, title: Rà soát, lead: CA, cooperating: [{agency: THCS1, due: {before: 2026-03-04}}], due: {before: 2026-03-06}}
            """)), by: w.chair).plan
        _ = try await store.createPlan(try PlanDocument(json: try JSONValue.parse(yaml: """
            number: 2/KH-PGDĐT
            title: Kế hoạch của ngành giáo dục
            issued_on: 2026-01-10
            issuer: GDDT
            basis_task: {plan: 1/KH-BCĐ138, task: unit-plan}
            tasks:
              - {key: school-plans, title: Các trường xây dựng kế hoạch, lead: {each_under: GDDT}, cooperating: [CA], due: {before: 2026-06-30}}
            """)), by: gdCommittee)
        _ = top
        try await expectKeptEqualCounted(store, w, "created")

        var mix = Mix(state: 12)
        let actors = [w.police, w.procuracy, w.education, w.school1, w.school2, w.chair, w.office, gdCommittee]
        let moves: [(String, String?, [String: JSONValue])] = [
            ("acknowledge", nil, [:]), ("acknowledge", nil, [:]), ("start", nil, [:]), ("submit", "Xong", [:]),
            ("close", nil, [:]), ("close", nil, [:]), ("return", "Bổ sung", [:]), ("cancel", "Thay thế", [:]),
            ("raise_difficulty", "Chưa có kinh phí", [:]), ("answer_difficulty", "Dùng kinh phí năm sau", [:]),
            ("contribute", "Phần phối hợp", [:]), ("contribute", "Phần phối hợp", [:]),
            ("request_extension", nil, ["due": .object(["before": .string("2026-05-15")])]), ("approve_extension", nil, [:]),
            ("handoff", nil, ["to": .string("VKS")]), ("handoff", nil, ["to": .string("THCS2")]), ("approve_handoff", nil, [:]),
            ("remind", nil, [:]),
        ]
        let days = ["2026-02-25T08:00:00+07:00", "2026-03-03T00:00:00+07:00", "2026-03-05T12:00:00+07:00",
                    "2026-03-10T00:00:00+07:00", "2026-03-19T23:59:59+07:00", "2026-04-30T00:00:00+07:00", "2026-07-01T10:00:00+07:00"]
        var applied = 0
        for round in 1...6 {
            let open = try await store.tasks({ var f = TaskFilter(); f.open = true; return f }(), for: w.admin, page: Page(limit: 500)).items
            guard !open.isEmpty else { break }
            for _ in 0..<60 {
                let task = open[Int.random(in: 0..<open.count, using: &mix)]
                let (name, note, params) = moves[Int.random(in: 0..<moves.count, using: &mix)]
                for who in actors.shuffled(using: &mix) {
                    if (try? await store.transition(taskID: task.id, request: .init(name: name, note: note, params: params), ifMatch: nil, by: who)) != nil {
                        applied += 1
                        break
                    }
                }
            }
            // The clock moves both ways (tests set it): overdue and due soon follow it without any recount.
            try await store.setClock(fixedAt: RFC3339.parse(days[Int.random(in: 0..<days.count, using: &mix)])!, offset: nil)
            if round % 2 == 0 { _ = try await store.sweep(wait: true) }  // timers fire, and the changes are folded
            try await expectKeptEqualCounted(store, w, "round \(round)")
        }
        #expect(applied > 40, "enough transitions applied: \(applied)")

        // A merge moves the merged agency's open work and cooperating parts.
        _ = try await store.mergeAgency("THCS1", into: "THCS2")
        let merged = Self.agencies.filter { $0 != "THCS1" }
        try await expectKeptEqualCounted(store, w, "merged", agencies: merged)
        _ = try await store.sweep(wait: true)
        try await expectKeptEqualCounted(store, w, "merged and folded", agencies: merged)

        // Inserts and deletes outside the store's own paths (an import, a repair by hand) are counted too.
        let conn = try PostgresConnection(owner)
        defer { conn.close() }
        try conn.execute("""
            WITH t AS (
                INSERT INTO tasks (plan_id, title, workflow_id, state, open, lead_id, due_at, ack_due_at, created_at, updated_at)
                SELECT plan_id, 'by hand', workflow_id, 'assigned', true, lead_id, due_at, now(), created_at, updated_at
                FROM tasks WHERE leaf AND lead_id IS NOT NULL ORDER BY id LIMIT 3
                RETURNING id
            )
            INSERT INTO task_cooperators (task_id, agency_id, position, due_at)
            SELECT t.id, a.id, 1, now() FROM t CROSS JOIN agencies a WHERE a.code = 'VKS'
            """)
        try await expectKeptEqualCounted(store, w, "inserted by hand", agencies: merged)
        try conn.execute("UPDATE task_cooperators SET contributed_at = now() WHERE task_id IN (SELECT id FROM tasks WHERE title = 'by hand')")
        try conn.execute("UPDATE tasks SET open = false, closed_at = now(), on_time = true WHERE title = 'by hand'")
        try await expectKeptEqualCounted(store, w, "closed by hand", agencies: merged)
        try conn.execute("DELETE FROM task_cooperators WHERE task_id IN (SELECT id FROM tasks WHERE title = 'by hand')")
        try conn.execute("DELETE FROM tasks WHERE title = 'by hand'")
        try await expectKeptEqualCounted(store, w, "deleted by hand", agencies: merged)
        _ = try await store.sweep(wait: true)
        try await expectKeptEqualCounted(store, w, "folded at the end", agencies: merged)

        // A fold settles every instant more than an hour old into one row per agency and measure
        // (sql/0017_settled_counts.sql): the reports read the settled counts at any clock after them, exact for the
        // last hour and the future, and count the tasks for a clock set back before them.
        let later = RFC3339.parse("2027-01-15T09:00:00+07:00")!, earlier = RFC3339.parse("2026-03-05T12:00:00+07:00")!
        try conn.execute("""
            INSERT INTO tasks (plan_id, title, workflow_id, state, open, lead_id, due_at, ack_due_at, created_at, updated_at)
            SELECT t.plan_id, 'settled', t.workflow_id, 'assigned', true, t.lead_id, d.due, d.due - interval '2 days', t.created_at, t.updated_at
            FROM (SELECT * FROM tasks WHERE leaf AND lead_id IS NOT NULL ORDER BY id LIMIT 3) t
            CROSS JOIN (VALUES (timestamptz '2026-12-01 10:00+07'), ('2027-01-15 08:30+07'), ('2027-01-20 00:00+07')) d(due)
            """)
        try await store.setClock(fixedAt: later, offset: nil)
        _ = try await store.sweep(wait: true)
        let rows = try conn.query("""
            SELECT count(*) FILTER (WHERE at = '-infinity') AS settled,
                   count(*) FILTER (WHERE at > '-infinity' AND at < (SELECT until FROM kept_counts_settled)) AS exact
            FROM board_counts
            """)[0]
        #expect(try rows.decode(Int.self, "settled") > 0, "board rows settled")
        #expect(try rows.decode(Int.self, "exact") == 0, "no exact instant left before what is settled")
        #expect(try BatonStore.keptCountsSettled(conn, at: later))
        try await expectKeptEqualCounted(store, w, "settled", agencies: merged)
        try conn.execute("UPDATE tasks SET open = false, closed_at = now(), on_time = false WHERE title = 'settled' AND due_at < '2027-01-01'")
        try await expectKeptEqualCounted(store, w, "a settled task closed", agencies: merged)
        _ = try await store.sweep(wait: true)
        try await expectKeptEqualCounted(store, w, "a settled task closed, folded", agencies: merged)
        try await store.setClock(fixedAt: earlier, offset: nil)
        #expect(try !BatonStore.keptCountsSettled(conn, at: earlier))
        try await expectKeptEqualCounted(store, w, "clock set back before what is settled", agencies: merged)
    }

    /// A board of one plan, or one read by anyone who does not see every task, still counts the tasks.
    @Test func onlyReportsOfEverythingReadTheKeptCounts() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            let plan = try await w.plan()
            _ = try await w.task(plan)
            // A second plan whose task only the procuracy and those above it see: kept counts (which hold every
            // task) would show its VKS row to a caller who may not see it, and to a board of the first plan.
            let other = try await w.plan(number: "9/KH-VKS")
            _ = try await w.task(other, ["lead": .string("VKS"), "cooperating": .array([])])
            for who in [w.office, w.chair, w.education, w.viewer] {
                let board = try await store.board(BoardFilter(), for: who)
                #expect(board.rows == (try await store.board(BoardFilter(), for: who, recount: true)).rows)
            }
            #expect(try await store.board(BoardFilter(), for: w.education).rows.map(\.agency).sorted() == ["CA", "GDDT"],
                    "the education officer sees the first plan's task only")
            #expect(try await store.board(BoardFilter(), for: w.admin).rows.contains { $0.agency == "VKS" }, "the admin sees both")
            let inPlan = try await store.board(BoardFilter(plan: plan.id), for: w.admin)
            #expect(inPlan.rows.map(\.agency).sorted() == ["CA", "GDDT"])
        }
    }
}

import BatonCore
import BatonStore
import BatonTestSupport
import Foundation
import Testing

/// Deadlines, acknowledgement limits, timers, recurrences and statistics on the database's clock.
@Suite struct TimeTests {
    static func at(_ text: String) -> Date { RFC3339.parse(text)! }

    @Test func workingDaysAcrossTheApril30HolidaysAndAMakeUpSaturday() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            // Issued Friday 25/4/2025; Saturday 26/4 was worked in make-up; 30/4–4/5 are off.
            let plan = try await w.plan(number: "1/KH", issuedOn: "2025-04-25", tasks: [
                .object(["key": .string("a"), "title": .string("Báo cáo"), "lead": .string("CA"), "due": .object(["working_days": .number(3)])]),
                .object(["key": .string("b"), "title": .string("Báo cáo"), "lead": .string("CA"), "due": .object(["working_days": .number(4)])]),
            ])
            let tasks = try await store.tasks(TaskFilter(), for: w.chair, page: Page()).items
            #expect(plan.progress.tasks == 2)
            // 26/4 (Sat, worked), 28/4, 29/4 → due at the end of 29/4; the 4th is 5/5 (after the holidays).
            #expect(tasks.first { $0.key == "a" }?.dueAt?.text == "2025-04-30T00:00:00+07:00")
            #expect(tasks.first { $0.key == "b" }?.dueAt?.text == "2025-05-06T00:00:00+07:00")
        }
    }

    @Test func acknowledgementHasItsOwnLimit() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            try await store.setClock(fixedAt: Self.at("2026-11-20T10:00:00+07:00"), offset: nil)  // a Friday
            let task = try await w.task(try await w.plan())
            #expect(task.ackDueAt?.text == "2026-11-25T00:00:00+07:00", "two working days: Monday 23 and Tuesday 24")
            try await store.setClock(fixedAt: Self.at("2026-11-25T09:00:00+07:00"), offset: nil)
            let board = try await store.board(BoardFilter(), for: w.office)
            #expect(board.rows.first { $0.agency == "CA" }?.ackOverdue == 1)
            let acked = try await store.transition(taskID: task.id, request: .init(name: "acknowledge"), ifMatch: nil, by: w.police)
            #expect(acked.acknowledgedLate == true)
            let part = try await store.transition(taskID: task.id, request: .init(name: "acknowledge"), ifMatch: nil, by: w.education)
            #expect(part.cooperating.first?.acknowledgedLate == true)
            let events = try await store.events(taskID: task.id, for: w.office, page: Page()).items
            let acks = events.filter { $0.name == "acknowledge" }
            #expect(acks.count == 2 && acks.allSatisfy { $0.params["late"] == .bool(true) })
            #expect(try await store.board(BoardFilter(), for: w.office).rows.first { $0.agency == "CA" }?.ackOverdue == 0)
        }
    }

    @Test func remindersOverdueAndEscalationFireOnce() async throws {
        try await TestCluster.withStore(poolSize: 8) { store in
            let w = try await World.make(store)
            try await store.setClock(fixedAt: Self.at("2026-11-23T09:00:00+07:00"), offset: nil)
            let task = try await w.task(try await w.plan(), ["due": .object(["before": .string("2026-12-10")])])
            func names() async throws -> [String] {
                try await store.events(taskID: task.id, for: w.office, page: Page()).items.map(\.name)
            }
            #expect(try await store.sweep().total == 0)
            // Three working days before Thursday 10/12: Monday 7/12, from 07:00.
            try await store.setClock(fixedAt: Self.at("2026-12-07T07:30:00+07:00"), offset: nil)
            #expect(try await store.sweep().fired == ["remind:3": 1])
            #expect(try await store.sweep().total == 0)
            try await store.setClock(fixedAt: Self.at("2026-12-09T07:30:00+07:00"), offset: nil)
            #expect(try await store.sweep().fired == ["remind:1": 1])
            // Past the due time: the overdue mark, once, however many sweeps race.
            try await store.setClock(fixedAt: Self.at("2026-12-10T01:00:00+07:00"), offset: nil)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 { group.addTask { _ = try await store.sweep() } }
                try await group.waitForAll()
            }
            #expect(try await names() == ["assign", "remind", "remind", "overdue"])
            let fired = try await store.events(taskID: task.id, for: w.office, page: Page()).items.dropFirst()
            #expect(fired.allSatisfy { $0.params["due_at"] == .string("2026-12-10T00:00:00+07:00") && $0.actor == "baton" },
                    "timer events name the due time in the plan's zone")
            #expect(try await store.task(id: task.id, for: w.police).overdue)
            // Three working days overdue (10, 11, 14/12): the committee and the monitor hear of it.
            try await store.setClock(fixedAt: Self.at("2026-12-15T00:00:01+07:00"), offset: nil)
            #expect(try await store.sweep().fired == ["escalate": 1])
            let chairInbox = try await store.notifications(for: w.chair, unreadOnly: true, page: Page()).items.map(\.kind)
            let officeInbox = try await store.notifications(for: w.office, unreadOnly: true, page: Page()).items.map(\.kind)
            #expect(chairInbox == ["escalate"] && officeInbox.contains("escalate"))
            let leadInbox = try await store.notifications(for: w.police, unreadOnly: false, page: Page()).items.map(\.kind)
            #expect(leadInbox.sorted() == ["assign", "escalate", "overdue", "remind", "remind"], "CA leads and also monitors the plan")
        }
    }

    /// Many tasks crossing their due time together are fired by several connections at once, in small
    /// batches, while their lead acknowledges some of them: each is marked overdue exactly once (by that
    /// sweep or, if an acknowledgement held it at the last moment, the next), every acknowledgement goes
    /// through, and the history holds.
    @Test func manyCrossingTogetherAreMarkedOnceByParallelBatches() async throws {
        try await TestCluster.withStore(poolSize: 8) { store in
            let w = try await World.make(store)
            try await store.setClock(fixedAt: Self.at("2026-11-23T09:00:00+07:00"), offset: nil)
            let tasks: [JSONValue] = (0..<150).map { i in
                .object(["key": .string("t\(i)"), "title": .string("Báo cáo số \(i)"), "lead": .string("CA"),
                         "due": .object(["before": .string("2026-12-10")])])
            }
            let plan = try await w.plan(number: "7/KH", issuedOn: "2026-11-23", tasks: tasks)
            var filter = TaskFilter()
            filter.plan = plan.id
            let ids = try await store.tasks(filter, for: w.chair, page: Page(limit: 500)).items.map(\.id)
            #expect(ids.count == 150)
            try await store.setClock(fixedAt: Self.at("2026-12-10T01:00:00+07:00"), offset: nil)
            async let sweeping = store.sweep(batch: 8, workers: 3)
            for id in ids.prefix(30) {
                _ = try await store.transition(taskID: id, request: .init(name: "acknowledge"), ifMatch: nil, by: w.police)
            }
            // A task an acknowledgement held at the last batch's moment is skipped, and marked by the next sweep.
            let racing = try await sweeping.fired, next = try await store.sweep().fired
            #expect(Set(racing.keys).union(next.keys) == ["overdue"], "the reminders' moment had passed: only the overdue marks")
            #expect(racing["overdue", default: 0] + next["overdue", default: 0] == 150)
            for id in ids {
                let names = try await store.events(taskID: id, for: w.office, page: Page()).items.map(\.name)
                #expect(names.filter { $0 == "overdue" }.count == 1, "\(names)")
            }
            #expect(try await store.sweep().total == 0)
            #expect(try await store.verifyAudit(plan: nil).firstBreak == nil)
        }
    }

    @Test func aLateSweepSkipsRemindersWhoseMomentHasPassed() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            try await store.setClock(fixedAt: Self.at("2026-11-23T09:00:00+07:00"), offset: nil)
            let plan = try await w.plan()
            let soon = try await w.task(plan, ["due": .object(["before": .string("2026-12-10")])])
            let gone = try await w.task(plan, ["due": .object(["before": .string("2026-12-09")])])
            // Nothing ran for two weeks: "due in 3 working days" is stale once "due tomorrow" is due,
            // and every reminder is stale once the due time has passed.
            try await store.setClock(fixedAt: Self.at("2026-12-09T07:30:00+07:00"), offset: nil)
            #expect(try await store.sweep().fired == ["remind:1": 1, "overdue": 1])
            let soonEvents = try await store.events(taskID: soon.id, for: w.office, page: Page()).items
            #expect(soonEvents.map(\.name) == ["assign", "remind"] && soonEvents.last?.params["working_days_before"] == .number(1))
            #expect(try await store.events(taskID: gone.id, for: w.office, page: Page()).items.map(\.name) == ["assign", "overdue"])
            #expect(try await store.sweep().total == 0)
        }
    }

    @Test func anExtensionMovesTheTimersAndTheVerdict() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            try await store.setClock(fixedAt: Self.at("2026-11-23T09:00:00+07:00"), offset: nil)
            let task = try await w.task(try await w.plan(), ["due": .object(["before": .string("2026-12-01")])])
            for name in ["acknowledge", "start"] {
                _ = try await store.transition(taskID: task.id, request: .init(name: name), ifMatch: nil, by: w.police)
            }
            _ = try await store.transition(taskID: task.id, request: .init(name: "request_extension", params: ["due": .object(["before": .string("2026-12-31")])]),
                                           ifMatch: nil, by: w.police)
            let extended = try await store.transition(taskID: task.id, request: .init(name: "approve_extension"), ifMatch: nil, by: w.chair)
            #expect(extended.dueAt?.text == "2026-12-31T00:00:00+07:00" && extended.originalDueAt?.text == "2026-12-01T00:00:00+07:00")
            // The first due time passes: no overdue mark, the due time in force is later.
            try await store.setClock(fixedAt: Self.at("2026-12-02T09:00:00+07:00"), offset: nil)
            let swept = try await store.sweep()
            #expect(swept.fired["overdue"] == nil)
            #expect(try await store.task(id: task.id, for: w.police).overdue == false)
            _ = try await store.transition(taskID: task.id, request: .init(name: "submit", note: "Xong"), ifMatch: nil, by: w.police)
            try await store.setClock(fixedAt: Self.at("2026-12-15T09:00:00+07:00"), offset: nil)
            let closed = try await store.transition(taskID: task.id, request: .init(name: "close"), ifMatch: nil, by: w.chair)
            #expect(closed.onTime == true, "judged against the due time in force")
            let stats = try await store.stats(period: try ReportPeriod(from: LocalDate("2026-12-01")!, to: LocalDate("2026-12-31")!), plan: nil, under: nil, for: w.office)
            #expect(stats.rows.first { $0.agency == "CA" }?.closedOnTime == 1)
            #expect(stats.rows.first { $0.agency == "CA" }?.closedLate == 0)
        }
    }

    @Test func yearlyBeforeOpensOneOccurrencePerAgencyAtATime() async throws {
        try await TestCluster.withStore(poolSize: 8) { store in
            let w = try await World.make(store)
            try await store.setClock(fixedAt: Self.at("2026-11-23T09:00:00+07:00"), offset: nil)
            let parent = try await w.task(try await w.plan(), ["lead": .object(["each_of_kind": .string("school")]), "cooperating": .array([]),
                                                               "due": .object(["yearly_before": .array([.string("06-01"), .string("12-01")])])])
            #expect(parent.recurrence == .array([.string("06-01"), .string("12-01")]))
            let first = parent.children ?? []
            #expect(first.map(\.lead) == ["THCS1", "THCS2"])
            #expect(first.allSatisfy { $0.dueAt?.text == "2026-12-01T00:00:00+07:00" })
            #expect(try await store.sweep().opened == 0)
            // THCS1 reports early: its next occurrence opens at once, due 01/6/2027.
            let mine = first[0]
            for (name, note) in [("acknowledge", nil), ("start", nil), ("submit", "Báo cáo năm")] as [(String, String?)] {
                _ = try await store.transition(taskID: mine.id, request: .init(name: name, note: note), ifMatch: nil, by: w.school1)
            }
            _ = try await store.transition(taskID: mine.id, request: .init(name: "close"), ifMatch: nil, by: w.chair)
            let next = try await store.task(id: parent.id, for: w.chair).children?.filter { $0.lead == "THCS1" && $0.open } ?? []
            #expect(next.compactMap { $0.dueAt?.text } == ["2027-06-01T00:00:00+07:00"], "opened by the close itself")
            #expect(try await store.sweep().opened == 0)
            // 01/12 passes: THCS2's next opens, exactly once however many sweeps race.
            try await store.setClock(fixedAt: Self.at("2026-12-01T08:00:00+07:00"), offset: nil)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<6 { group.addTask { _ = try await store.sweep() } }
                try await group.waitForAll()
            }
            let now = try await store.task(id: parent.id, for: w.chair)
            #expect(!now.overdue, "a recurring parent is not late itself; its occurrences are")
            var late = TaskFilter()
            late.overdue = true
            #expect(try await store.tasks(late, for: w.chair, page: Page()).items.map(\.lead) == ["THCS2"])
            let all = now.children ?? []
            #expect(all.count == 4)
            for school in ["THCS1", "THCS2"] {
                let upcoming = all.filter { $0.lead == school && $0.open && !$0.overdue }.compactMap { $0.dueAt?.text }
                #expect(upcoming == ["2027-06-01T00:00:00+07:00"], "\(school)")
            }
        }
    }

    @Test func theBoardAndStatisticsOfAPlanAreAsOfItsZone() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            try await store.setClock(fixedAt: Self.at("2026-03-01T09:00:00+07:00"), offset: nil)
            let plan = try await store.createPlan(try PlanDocument(json: .object([
                "number": .string("1/KH-TOKYO"), "title": .string("Kế hoạch giờ Tokyo"), "issued_on": .string("2026-03-01"),
                "issuer": .string("BCD"), "time_zone": .string("Asia/Tokyo"),
                "tasks": .array([.object(["key": .string("report"), "title": .string("Báo cáo"), "lead": .string("CA"), "due": .object(["before": .string("2026-03-10")])])]),
            ])), by: w.chair).plan
            #expect(try await store.board(BoardFilter(plan: plan.id), for: w.chair).asOf.text == "2026-03-01T11:00:00+09:00")
            #expect(try await store.board(BoardFilter(), for: w.chair).asOf.text == "2026-03-01T09:00:00+07:00")
            let stats = try await store.stats(period: try ReportPeriod(from: LocalDate("2026-03-01")!, to: LocalDate("2026-03-31")!), plan: plan.id, under: nil, for: w.chair)
            #expect(stats.asOf.text == "2026-03-01T11:00:00+09:00" && stats.rows.first?.agency == "CA")
        }
    }

    @Test func statisticsBuckets() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            try await store.setClock(fixedAt: Self.at("2026-03-01T09:00:00+07:00"), offset: nil)
            let plan = try await w.plan()
            let late = try await w.task(plan, ["due": .object(["before": .string("2026-03-10")])])
            let early = try await w.task(plan, ["due": .object(["before": .string("2026-03-20")])])
            _ = try await w.task(plan, ["due": .object(["before": .string("2026-03-25")])])
            _ = try await w.task(plan, ["due": .object(["before": .string("2026-03-05")])])
            _ = try await w.task(plan, ["due": .null])
            _ = try await w.task(plan, ["due": .object(["before": .string("2026-05-01")])])  // outside the period
            func finish(_ id: UUID) async throws {
                for (name, note) in [("acknowledge", nil), ("start", nil), ("submit", "xong")] as [(String, String?)] {
                    _ = try await store.transition(taskID: id, request: .init(name: name, note: note), ifMatch: nil, by: w.police)
                }
                _ = try await store.transition(taskID: id, request: .init(name: "close"), ifMatch: nil, by: w.chair)
            }
            try await finish(early.id)
            try await store.setClock(fixedAt: Self.at("2026-03-15T09:00:00+07:00"), offset: nil)
            try await finish(late.id)
            let stats = try await store.stats(period: try ReportPeriod(from: LocalDate("2026-03-01")!, to: LocalDate("2026-03-31")!), plan: plan.id, under: nil, for: w.office)
            let ca = try #require(stats.rows.first { $0.agency == "CA" })
            let buckets: [Int] = [ca.closedOnTime, ca.closedLate, ca.openWithinTerm, ca.openOverdue, ca.noDeadline]
            #expect(buckets == [1, 1, 1, 1, 1])
            #expect(stats.csv.hasPrefix("\u{FEFF}agency,name,closed_on_time,closed_late,open_within_term,open_overdue,no_deadline"))
            await #expect(throws: BatonError.self) {
                try await store.stats(period: try ReportPeriod(from: LocalDate("2026-04-01")!, to: LocalDate("2026-03-01")!), plan: nil, under: nil, for: w.office)
            }
        }
    }

    @Test func assignmentLandsInTheLeadAndCooperatingInboxes() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            let task = try await w.task(try await w.plan())
            let lead = try await store.notifications(for: w.police, unreadOnly: true, page: Page()).items
            let coop = try await store.notifications(for: w.education, unreadOnly: true, page: Page()).items
            #expect(lead.map(\.kind) == ["assign"] && lead.first?.taskID == task.id)
            #expect(coop.map(\.kind) == ["assign"])
            #expect(try await store.notifications(for: w.procuracy, unreadOnly: false, page: Page()).items.isEmpty)
            let read = try await store.markRead(notification: lead[0].id, by: w.police)
            #expect(read.readAt != nil)
            #expect(try await store.notifications(for: w.police, unreadOnly: true, page: Page()).items.isEmpty)
            await #expect(throws: BatonError.notFound("notification \(lead[0].id)")) { try await store.markRead(notification: lead[0].id, by: w.procuracy) }
            // A return reaches the lead; the committee's approval of a handoff reaches the new lead.
            for (name, note) in [("acknowledge", nil), ("start", nil), ("submit", "xong")] as [(String, String?)] {
                _ = try await store.transition(taskID: task.id, request: .init(name: name, note: note), ifMatch: nil, by: w.police)
            }
            _ = try await store.transition(taskID: task.id, request: .init(name: "return", note: "Bổ sung"), ifMatch: nil, by: w.chair)
            #expect(try await store.notifications(for: w.police, unreadOnly: true, page: Page()).items.map(\.kind) == ["return"])
        }
    }
}

import BatonCore
import BatonStore
import BatonTestSupport
import Foundation
import Testing

/// Many agencies, one programme: contributions, fan-out progress, cascades, indicators,
/// incidents, difficulties, merges, and the four seed plans.
@Suite struct ProgrammeTests {
    func finish(_ store: BatonStore, _ id: UUID, lead: Principal, committee: Principal) async throws -> TaskRecord {
        for (name, note) in [("acknowledge", nil), ("start", nil), ("submit", "Xong")] as [(String, String?)] {
            _ = try await store.transition(taskID: id, request: .init(name: name, note: note), ifMatch: nil, by: lead)
        }
        return try await store.transition(taskID: id, request: .init(name: "close"), ifMatch: nil, by: committee)
    }

    @Test func cooperatingAgenciesContributeTheirParts() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            try await store.setClock(fixedAt: RFC3339.parse("2026-03-02T09:00:00+07:00")!, offset: nil)
            let task = try await w.task(try await w.plan(), [
                "cooperating": .array([.object(["agency": .string("GDDT"), "due": .object(["before": .string("2026-03-10")])]), .string("VKS")]),
                "due": .object(["before": .string("2026-03-20")]),
            ])
            #expect(task.cooperating.map { $0.dueAt?.text } == ["2026-03-10T00:00:00+07:00", nil])
            var board = try await store.board(BoardFilter(), for: w.office)
            #expect(board.rows.first { $0.agency == "GDDT" }?.cooperatingOpen == 1)
            let after = try await store.transition(taskID: task.id, request: .init(name: "contribute", note: "Số liệu 12 trường THCS",
                                                                                   params: ["reference": .string("Công văn 45/PGDĐT")]),
                                                   ifMatch: nil, by: w.education)
            let part = try #require(after.cooperating.first { $0.agency == "GDDT" })
            #expect(part.contribution?.note == "Số liệu 12 trường THCS" && part.contribution?.reference == "Công văn 45/PGDĐT")
            #expect(part.contribution?.onTime == true && part.acknowledgedAt != nil)
            await #expect { try await store.transition(taskID: task.id, request: .init(name: "contribute", note: "lại"), ifMatch: nil, by: w.education) }
                throws: { ($0 as? BatonError)?.code == .invalidTransition }
            await #expect { try await store.transition(taskID: task.id, request: .init(name: "contribute"), ifMatch: nil, by: w.procuracy) }
                throws: { ($0 as? BatonError)?.code == .validationFailed }
            // The lead sees every contribution on the task.
            let seen = try await store.task(id: task.id, for: w.police)
            #expect(seen.cooperating.compactMap { $0.contribution?.note } == ["Số liệu 12 trường THCS"])
            try await store.setClock(fixedAt: RFC3339.parse("2026-03-25T09:00:00+07:00")!, offset: nil)
            board = try await store.board(BoardFilter(), for: w.office)
            #expect(board.rows.first { $0.agency == "VKS" }?.cooperatingOverdue == 1)
            #expect(board.rows.first { $0.agency == "GDDT" } == nil, "nothing left to do")
            let stats = try await store.stats(period: try ReportPeriod(from: LocalDate("2026-03-01")!, to: LocalDate("2026-03-31")!), plan: nil, under: nil, for: w.office)
            #expect(stats.rows.first { $0.agency == "GDDT" }?.cooperatingOnTime == 1)
            #expect(stats.rows.first { $0.agency == "VKS" }?.cooperatingOverdue == 1)
            #expect(stats.rows.first { $0.agency == "CA" }?.openOverdue == 1, "lead work counted apart")
        }
    }

    @Test func aFanOutShowsItsProgressAndClosesItself() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            let parent = try await w.task(try await w.plan(), ["lead": .object(["each_under": .string("GDDT")]), "cooperating": .array([])])
            let kids = parent.children ?? []
            _ = try await finish(store, kids[0].id, lead: w.school1, committee: w.chair)
            var now = try await store.task(id: parent.id, for: w.chair)
            #expect(now.state == "assigned" && now.children?.filter { $0.state == "closed" }.count == 1)
            _ = try await finish(store, kids[1].id, lead: w.school2, committee: w.chair)
            now = try await store.task(id: parent.id, for: w.chair)
            #expect(now.state == "closed" && now.onTime == true)
            let events = try await store.events(taskID: parent.id, for: w.chair, page: Page()).items
            #expect(events.last?.name == "close" && events.last?.actor == "baton")
        }
    }

    @Test func cancellingAFanOutCancelsAndTellsEveryChild() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            let parent = try await w.task(try await w.plan(), ["lead": .object(["each_under": .string("GDDT")]), "cooperating": .array([])])
            let kids = try #require(parent.children)
            // A school sees the parent only through its own child, and not its sibling's.
            let seenBySchool = try await store.task(id: parent.id, for: w.school1)
            #expect(seenBySchool.children?.map(\.id) == [kids.first { $0.lead == "THCS1" }!.id])
            _ = try await store.transition(taskID: kids.first { $0.lead == "THCS2" }!.id, request: .init(name: "acknowledge"), ifMatch: nil, by: w.school2)
            // Reminding the parent reminds every school with an open child.
            _ = try await store.transition(taskID: parent.id, request: .init(name: "remind"), ifMatch: nil, by: w.office)
            for school in [w.school1, w.school2] {
                let inbox = try await store.notifications(for: school, unreadOnly: true, page: Page()).items
                #expect(inbox.filter { $0.kind == "remind" }.map(\.taskID) == [parent.id])
            }
            let cancelled = try await store.transition(taskID: parent.id, request: .init(name: "cancel", note: "Kế hoạch được thay thế"),
                                                       ifMatch: nil, by: w.chair)
            #expect(cancelled.state == "cancelled" && cancelled.children?.allSatisfy { $0.state == "cancelled" } == true)
            for school in [w.school1, w.school2] {
                let inbox = try await store.notifications(for: school, unreadOnly: true, page: Page()).items
                #expect(inbox.contains { $0.kind == "cancel" }, "each child's lead hears of it")
                let child = try #require(cancelled.children?.first { $0.lead == school.agency })
                let events = try await store.events(taskID: child.id, for: school, page: Page()).items
                #expect(events.last?.name == "cancel" && events.last?.note == "Kế hoạch được thay thế")
            }
        }
    }

    @Test func cascadingPlansRollUpThreeLevelsDeep() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            let gdCommittee = try await World.person(store, "gd.bgh", "GDDT", ["committee"])
            let schoolCommittee = try await World.person(store, "s1.bgh", "THCS1", ["committee"])
            let top = try await store.createPlan(try PlanDocument(json: try JSONValue.parse(yaml: """
                number: 1/KH-BCĐ138
                title: Kế hoạch huyện
                issued_on: 2026-01-05
                issuer: BCD
                monitor: CA
                tasks:
                  - {key: unit-plan, title: Phòng GDĐT xây dựng kế hoạch của ngành, lead: GDDT, due: {before: 2026-12-31}}
                  - {key: police, title: Công an tuyên truyền, lead: CA}
                """)), by: w.chair).plan
            let middle = try await store.createPlan(try PlanDocument(json: try JSONValue.parse(yaml: """
                number: 2/KH-PGDĐT
                title: Kế hoạch của ngành giáo dục
                issued_on: 2026-01-10
                issuer: GDDT
                basis_task: {plan: 1/KH-BCĐ138, task: unit-plan}
                tasks:
                  - {key: school-plans, title: Các trường xây dựng kế hoạch, lead: {each_under: GDDT}, due: {before: 2026-06-30}}
                """)), by: gdCommittee).plan
            #expect(middle.parentPlan == top.id && middle.basisTask != nil)
            // A school's plan: the school leads its child of the fan-out; no task may be due later than that child.
            let tooLate = try PlanDocument(json: try JSONValue.parse(yaml: """
                number: 3/KH-THCS1
                title: Kế hoạch của trường
                issued_on: 2026-02-01
                issuer: THCS1
                basis_task: {plan: 2/KH-PGDĐT, task: school-plans}
                tasks:
                  - {key: talk, title: Tuyên truyền cho học sinh, lead: THCS1, due: {before: 2026-09-01}}
                """))
            await #expect { try await store.createPlan(tooLate, by: schoolCommittee) }
                throws: { ($0 as? BatonError)?.code == .validationFailed && ($0 as? BatonError)?.field == "tasks[0].due" }
            let wrongIssuer = try PlanDocument(json: try JSONValue.parse(yaml: """
                number: 3/KH-X
                title: x
                issued_on: 2026-02-01
                issuer: GDDT
                basis_task: {plan: 1/KH-BCĐ138, task: police}
                """))
            await #expect { try await store.createPlan(wrongIssuer, by: gdCommittee) } throws: { ($0 as? BatonError)?.field == "basis_task" }
            let bottom = try await store.createPlan(try PlanDocument(json: try JSONValue.parse(yaml: """
                number: 3/KH-THCS1
                title: Kế hoạch của trường
                issued_on: 2026-02-01
                issuer: THCS1
                basis_task: {plan: 2/KH-PGDĐT, task: school-plans}
                tasks:
                  - {key: talk, title: Tuyên truyền cho học sinh, lead: THCS1, due: {before: 2026-05-01}}
                  - {key: sign, title: Ký cam kết, lead: THCS1, due: {before: 2026-04-01}}
                """)), by: schoolCommittee).plan
            #expect(bottom.parentPlan == middle.id)
            let rolled = try await store.plan(id: top.id, for: w.chair)
            #expect(rolled.progress.plans == 3 && rolled.progress.tasks == 6, "2 + 2 schools + 2 of THCS1")
            let tree = try await store.planTree(id: top.id, for: w.chair)
            #expect(tree.children.map(\.plan.number) == ["2/KH-PGDĐT"] && tree.children[0].children.map(\.plan.number) == ["3/KH-THCS1"])
            // The district committee and its standing office see the school's tasks; the board rolls up.
            let schoolTasks = try await store.tasks({ var f = TaskFilter(); f.plan = bottom.id; return f }(), for: w.chair, page: Page())
            #expect(schoolTasks.items.count == 2)
            let board = try await store.board(BoardFilter(plan: top.id), for: w.office)
            #expect(board.rows.first { $0.agency == "THCS1" }?.open == 3)
            await #expect(throws: BatonError.self) { try await store.planTree(id: top.id, for: w.procuracy) }
        }
    }

    @Test func indicatorsRollUpAcrossAgenciesAndPlans() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            let plan = try await store.createPlan(try PlanDocument(json: try JSONValue.parse(yaml: """
                number: 7/KH
                title: Phòng chống mại dâm trong trường học
                issued_on: 2026-01-05
                issuer: BCD
                monitor: CA
                indicators:
                  - {key: students-informed, name: Học sinh được tuyên truyền, unit: percent, direction: at_least, target: 70, reported_by: {each_of_kind: school}}
                  - {key: cases, name: Số vụ xâm hại, unit: count, direction: reduce_by, target: 10, baseline: 7}
                """)), by: w.chair).plan
            _ = try await store.reportIndicator(planID: plan.id, key: "students-informed",
                                                report: try IndicatorReport(json: .object(["period": .string("2026"), "numerator": .number(300), "denominator": .number(400)])),
                                                by: w.school1)
            let status = try await store.reportIndicator(planID: plan.id, key: "students-informed",
                                                         report: try IndicatorReport(json: .object(["period": .string("2026"), "numerator": .number(50), "denominator": .number(100)])),
                                                         by: w.school2)
            // (300 + 50) / (400 + 100) = 70%: the target is met, weighted by each school's size.
            #expect(status.periods.map(\.value) == [70] && status.periods.first?.meetsTarget == true && status.periods.first?.reports == 2)
            await #expect { try await store.reportIndicator(planID: plan.id, key: "students-informed",
                                                            report: try IndicatorReport(json: .object(["period": .string("2026"), "value": .number(90)])), by: w.office) }
                throws: { ($0 as? BatonError)?.code == .forbidden }
            await #expect { try await store.reportIndicator(planID: plan.id, key: "students-informed",
                                                            report: try IndicatorReport(json: .object(["period": .string("2026"), "value": .number(90)])), by: w.procuracy) }
                throws: { ($0 as? BatonError)?.code == .notFound }
            for bad: [String: JSONValue] in [["value": .number(101)], ["numerator": .number(5), "denominator": .number(4)]] {
                await #expect { try await store.reportIndicator(planID: plan.id, key: "students-informed",
                                                                report: try IndicatorReport(json: .object(bad.merging(["period": .string("2026")]) { $1 })), by: w.school1) }
                    throws: { ($0 as? BatonError)?.code == .validationFailed }
            }
            // Without reported_by the monitor reports: 7 cases to 6 is not yet a 10% reduction (6.3).
            var cases = try await store.reportIndicator(planID: plan.id, key: "cases",
                                                        report: try IndicatorReport(json: .object(["period": .string("2026-H1"), "value": .number(7)])), by: w.police)
            #expect(cases.periods.first?.meetsTarget == false)
            cases = try await store.reportIndicator(planID: plan.id, key: "cases",
                                                    report: try IndicatorReport(json: .object(["period": .string("2026-H1"), "value": .number(6)])), by: w.police)
            #expect(cases.periods.map(\.value) == [6] && cases.periods.first?.meetsTarget == true, "a correction replaces the value")
            #expect(throws: BatonError.self) { try IndicatorReport(json: .object(["period": .string("2026-H3"), "value": .number(1)])) }
            let shown = try await store.plan(id: plan.id, for: w.office).indicators ?? []
            #expect(shown.map(\.key) == ["students-informed", "cases"])
        }
    }

    @Test func incidentsGoToTheCommitteeAndTheMonitor() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            let plan = try await w.plan()
            _ = try await w.task(plan, ["lead": .string("THCS1"), "cooperating": .array([])])
            let incident = try await store.reportIncident(planID: plan.id, title: "Học sinh bị xâm hại tại khu vực cổng trường",
                                                          description: "Báo cáo nhanh lúc 7 giờ", by: w.school1)
            #expect(incident.kind == "incident" && incident.state == "reported" && incident.workflow == "incident" && incident.lead == "THCS1")
            #expect(try await store.notifications(for: w.chair, unreadOnly: true, page: Page()).items.map(\.kind) == ["incident"])
            #expect(try await store.notifications(for: w.office, unreadOnly: true, page: Page()).items.map(\.kind).contains("incident"))
            #expect(try await store.board(BoardFilter(plan: plan.id), for: w.office).rows.map(\.open) == [1], "incidents are not assigned work")
            _ = try await store.transition(taskID: incident.id, request: .init(name: "acknowledge"), ifMatch: nil, by: w.office)
            let done = try await store.transition(taskID: incident.id, request: .init(name: "resolve", note: "Đã phối hợp xử lý"), ifMatch: nil, by: w.chair)
            #expect(done.state == "resolved")
            await #expect { try await store.reportIncident(planID: plan.id, title: "x", description: nil, by: w.procuracy) }
                throws: { ($0 as? BatonError)?.code == .notFound }
        }
    }

    @Test func difficultiesAreRaisedAndAnswered() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            let plan = try await w.plan(number: "8/KH")
            let task = try await w.task(plan, ["lead": .string("VKS"), "cooperating": .array([])])
            let raised = try await store.transition(taskID: task.id, request: .init(name: "raise_difficulty", note: "Chưa có kinh phí"), ifMatch: nil, by: w.procuracy)
            #expect(raised.pending["difficulty"]?["note"]?.stringValue == "Chưa có kinh phí")
            #expect(try await store.board(BoardFilter(), for: w.office).rows.first { $0.agency == "VKS" }?.openDifficulties == 1)
            #expect(try await store.notifications(for: w.office, unreadOnly: true, page: Page()).items.map(\.kind) == ["raise_difficulty"])
            await #expect { try await store.transition(taskID: task.id, request: .init(name: "raise_difficulty", note: "nữa"), ifMatch: nil, by: w.procuracy) }
                throws: { ($0 as? BatonError)?.code == .invalidTransition }
            let answered = try await store.transition(taskID: task.id, request: .init(name: "answer_difficulty", note: "Dùng kinh phí năm 2026"), ifMatch: nil, by: w.office)
            #expect(answered.pending["difficulty"] == .null)
            #expect(try await store.notifications(for: w.procuracy, unreadOnly: true, page: Page()).items.first?.kind == "answer_difficulty")
        }
    }

    @Test func aMergeMovesOpenWorkAndKeepsHistory() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            let plan = try await w.plan()
            let led = try await w.task(plan, ["lead": .string("THCS1"), "cooperating": .array([.string("VKS")])])
            _ = try await store.transition(taskID: led.id, request: .init(name: "acknowledge"), ifMatch: nil, by: w.school1)
            let cooperating = try await w.task(plan, ["lead": .string("CA"), "cooperating": .array([.string("THCS1")])])
            let done = try await w.task(plan, ["lead": .string("THCS1"), "cooperating": .array([])])
            _ = try await finish(store, done.id, lead: w.school1, committee: w.chair)
            let result = try await store.mergeAgency("THCS1", into: "THCS2")
            #expect(result.tasksLed == 1 && result.cooperating == 1 && result.users == 1 && result.superseded == 0)
            let moved = try await store.task(id: led.id, for: w.chair)
            #expect(moved.lead == "THCS2" && moved.state == "acknowledged")
            let history = try await store.events(taskID: led.id, for: w.chair, page: Page()).items
            #expect(history.map(\.name) == ["assign", "acknowledge", "merge"])
            #expect(history[1].agency == "THCS1", "who acknowledged stays on record")
            #expect(history[2].params == .object(["from": .string("THCS1"), "to": .string("THCS2")]))
            #expect(try await store.task(id: cooperating.id, for: w.chair).cooperating.map(\.agency) == ["THCS2"])
            #expect(try await store.task(id: done.id, for: w.chair).lead == "THCS1", "closed work stays where it was done")
            #expect(try await store.agency(code: "THCS1")?.active == false)
            // The merged school's officer now works for the other school; fan-outs skip the old one.
            let again = try await store.authenticate(token: try await store.issueToken(login: "s1"))
            #expect(again?.agency == "THCS2")
            let fan = try await w.task(plan, ["lead": .object(["each_of_kind": .string("school")]), "cooperating": .array([])])
            #expect(fan.children?.map(\.lead) == ["THCS2"])
            let renamed = try await store.renameAgency(code: "THCS2", name: "Trường THCS Tân Hòa – Một Ngàn")
            #expect(renamed.name == "Trường THCS Tân Hòa – Một Ngàn")
        }
    }

    @Test func aMergeCancelsTheDuplicateFanOutChildAndMovesPlans() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            let plan = try await w.plan()
            let fan = try await w.task(plan, ["lead": .object(["each_of_kind": .string("school")]), "cooperating": .array([])])
            let mine = try #require(fan.children?.first { $0.lead == "THCS1" })
            let theirs = try #require(fan.children?.first { $0.lead == "THCS2" })
            _ = try await store.transition(taskID: mine.id, request: .init(name: "acknowledge"), ifMatch: nil, by: w.school1)
            let result = try await store.mergeAgency("THCS1", into: "THCS2")
            #expect(result.superseded == 1 && result.tasksLed == 0 && result.users == 1)
            let old = try await store.task(id: mine.id, for: w.chair)
            #expect(old.lead == "THCS1" && old.state == "cancelled", "the merged school's copy ends; the other goes on")
            let history = try await store.events(taskID: mine.id, for: w.chair, page: Page()).items
            #expect(history.map(\.name) == ["assign", "acknowledge", "merge"])
            #expect(history[2].params["superseded_by"]?.stringValue == theirs.id.lower)
            #expect(try await store.task(id: theirs.id, for: w.chair).state == "assigned")
            let parent = try await store.task(id: fan.id, for: w.chair)
            #expect(parent.children?.filter { $0.lead == "THCS2" }.count == 1 && parent.state != "closed")
            // The plan's monitor merges: the plan follows, and its coordinators keep seeing it.
            let monitored = try await store.mergeAgency("CA", into: "VKS")
            #expect(monitored.plans == 1)
            #expect(try await store.plan(id: plan.id, for: w.chair).monitor == "VKS")
            let office = try #require(try await store.authenticate(token: try await store.issueToken(login: "office")))
            #expect(office.agency == "VKS")
            _ = try await store.plan(id: plan.id, for: office)
        }
    }

    @Test func aRecurringTaskOfASubPlanEndsAtItsBasisTasksDueTime() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            let gdCommittee = try await World.person(store, "gd.bgh", "GDDT", ["committee"])
            try await store.setClock(fixedAt: RFC3339.parse("2026-11-23T09:00:00+07:00")!, offset: nil)
            _ = try await store.createPlan(try PlanDocument(json: try JSONValue.parse(yaml: """
                number: 1/KH-BCĐ138
                title: Kế hoạch huyện
                issued_on: 2026-11-01
                issuer: BCD
                tasks:
                  - {key: unit-plan, title: Phòng GDĐT thực hiện, lead: GDDT, due: {before: 2027-01-10}}
                """)), by: w.chair)
            let (sub, _) = try await store.createPlan(try PlanDocument(json: try JSONValue.parse(yaml: """
                number: 2/KH-PGDĐT
                title: Kế hoạch của ngành giáo dục
                issued_on: 2026-11-10
                issuer: GDDT
                basis_task: {plan: 1/KH-BCĐ138, task: unit-plan}
                tasks:
                  - {key: report, title: Báo cáo kết quả, lead: THCS1, due: {yearly_before: ["12-15"]}}
                """)), by: gdCommittee)
            var filter = TaskFilter()
            filter.plan = sub.id
            let listed = try #require(try await store.tasks(filter, for: w.chair, page: Page()).items.first { $0.recurrence != nil })
            let parent = try await store.task(id: listed.id, for: w.chair)
            let first = try #require(parent.children?.first)
            #expect(first.dueAt?.text == "2026-12-15T00:00:00+07:00")
            _ = try await finish(store, first.id, lead: w.school1, committee: gdCommittee)
            // The next would be due 15/12/2027, after the basis task's 10/01/2027: the series ends.
            #expect(try await store.task(id: parent.id, for: w.chair).children?.count == 1)
            try await store.setClock(fixedAt: RFC3339.parse("2026-12-16T09:00:00+07:00")!, offset: nil)
            #expect(try await store.sweep().opened == 0)
        }
    }

    @Test func theFourSeedPlansImport() async throws {
        try await TestCluster.withStore(poolSize: 4) { store in
            let dir = TestCluster.projectFiles.examplesDirectory
            let plans = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".yaml") }.sorted()
            #expect(plans.count == 4)
            for file in plans {
                let base = dir + "/" + file.dropLast(".yaml".count)
                _ = try await store.importAgencies(csv: try String(contentsOfFile: base + ".agencies.csv", encoding: .utf8))
                let doc = try PlanDocument(json: try JSONValue.parse(yaml: try String(contentsOfFile: dir + "/" + file, encoding: .utf8)))
                let (plan, tasks) = try await store.createPlan(doc, by: nil)
                #expect(tasks > 0 && plan.progress.tasks == tasks, "\(file)")
            }
            let demo = try await store.board(BoardFilter(), for: nil)
            #expect(demo.rows.contains { $0.agency == "CA-CTA" })
        }
    }
}

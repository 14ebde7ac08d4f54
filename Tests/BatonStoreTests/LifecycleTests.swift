import BatonCore
import BatonStore
import BatonTestSupport
import Foundation
import Testing

@Suite struct LifecycleTests {
    @Test func assignAcknowledgeSubmitClose() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            let plan = try await w.plan()
            let task = try await w.task(plan)
            #expect(task.state == "assigned" && task.lead == "CA" && task.version == 1 && task.workflow == "task")
            #expect(task.cooperating.map(\.agency) == ["GDDT"])
            #expect(task.dueAt?.text == "2030-11-15T00:00:00+07:00")

            var t = try await store.transition(taskID: task.id, request: .init(name: "acknowledge"), ifMatch: nil, by: w.police)
            #expect(t.state == "acknowledged" && t.acknowledgedAt != nil && t.version == 2)
            t = try await store.transition(taskID: task.id, request: .init(name: "start"), ifMatch: 2, by: w.police)
            t = try await store.transition(taskID: task.id, request: .init(name: "submit", note: "Đã tổ chức 3 buổi tuyên truyền"), ifMatch: nil, by: w.police)
            #expect(t.state == "submitted")
            t = try await store.transition(taskID: task.id, request: .init(name: "close", note: "Đạt"), ifMatch: nil, by: w.chair)
            #expect(t.state == "closed" && t.onTime == true && t.closedAt != nil && !t.overdue)

            let events = try await store.events(taskID: task.id, for: w.office, page: Page())
            #expect(events.items.map(\.name) == ["assign", "acknowledge", "start", "submit", "close"])
            #expect(events.items.map(\.seq) == [1, 2, 3, 4, 5])
            let submit = events.items[3]
            #expect(submit.from == "in_progress" && submit.to == "submitted" && submit.agency == "CA")
            #expect(submit.note == "Đã tổ chức 3 buổi tuyên truyền")
        }
    }

    @Test func racingAcknowledgementsExactlyOneWins() async throws {
        try await TestCluster.withStore(poolSize: 8) { store in
            let w = try await World.make(store)
            let task = try await w.task(try await w.plan())
            // Each loser finds the task acknowledged: an invalid transition, not some other failure.
            let results = await withTaskGroup(of: BatonError.Code?.self) { group in
                for _ in 0..<24 {
                    group.addTask {
                        do {
                            _ = try await store.transition(taskID: task.id, request: .init(name: "acknowledge"), ifMatch: nil, by: w.police)
                            return nil
                        } catch {
                            return (error as? BatonError)?.code ?? .internalError
                        }
                    }
                }
                return await group.reduce(into: [BatonError.Code?]()) { $0.append($1) }
            }
            #expect(results.filter { $0 == nil }.count == 1)
            #expect(results.compactMap { $0 }.allSatisfy { $0 == .invalidTransition }, "\(results)")
            let events = try await store.events(taskID: task.id, for: w.police, page: Page())
            #expect(events.items.filter { $0.name == "acknowledge" }.count == 1)
        }
    }

    @Test func visibility() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            let task = try await w.task(try await w.plan())
            for who in [w.chair, w.office, w.police, w.education, w.admin, w.viewer] {
                _ = try await store.task(id: task.id, for: who)
            }
            for who in [w.procuracy, w.school1] {
                await #expect(throws: BatonError.notFound("task \(task.id.lower)")) { try await store.task(id: task.id, for: who) }
            }
            await #expect { try await store.transition(taskID: task.id, request: .init(name: "acknowledge"), ifMatch: nil, by: w.procuracy) }
                throws: { ($0 as? BatonError)?.code == .notFound }
            await #expect { try await store.transition(taskID: task.id, request: .init(name: "close"), ifMatch: nil, by: w.police) }
                throws: { ($0 as? BatonError)?.code == .forbidden }
        }
    }

    @Test func fanOutToSchools() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            let plan = try await w.plan()
            let parent = try await w.task(plan, ["lead": .object(["each_under": .string("GDDT")]), "cooperating": .array([])])
            #expect(parent.lead == nil && parent.children?.map(\.lead) == ["THCS1", "THCS2"])
            #expect(parent.children?.allSatisfy { $0.parentID == parent.id } == true)
            let mine = try await store.tasks(TaskFilter(), for: w.school1, page: Page())
            #expect(mine.items.map(\.lead) == [nil, "THCS1"], "the parent it sees through its child, then its own task")
            let board = try await store.board(BoardFilter(plan: plan.id), for: w.office)
            #expect(board.rows.map(\.agency).sorted() == ["THCS1", "THCS2"])
            var top = TaskFilter()
            top.plan = plan.id
            top.topLevel = true
            #expect(try await store.tasks(top, for: w.office, page: Page()).items.map(\.id) == [parent.id])
            top.topLevel = false
            #expect(try await store.tasks(top, for: w.office, page: Page()).items.count == 2, "the children only")
            var closed = TaskFilter()
            closed.plan = plan.id
            closed.open = false
            #expect(try await store.tasks(closed, for: w.office, page: Page()).items.isEmpty)
            closed.open = true
            #expect(try await store.tasks(closed, for: w.office, page: Page()).items.count == 3)
        }
    }
}

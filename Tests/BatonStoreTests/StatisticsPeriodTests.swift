import BatonCore
import BatonStore
import BatonTestSupport
import Foundation
import Testing

/// Statistics count a task in the period holding its due day: the local date of the last moment before its due time.
@Suite struct StatisticsPeriodTests {
    static func at(_ text: String) -> Date { RFC3339.parse(text)! }

    /// CA's four buckets plus no-deadline, for `period` of `plan`.
    static func ca(_ store: BatonStore, _ w: World, _ plan: PlanRecord, _ period: String) async throws -> [Int] {
        let stats = try await store.stats(period: try ReportPeriod(name: period), plan: plan.id, under: nil, for: w.office)
        #expect(stats.period.name == period)
        guard let r = stats.rows.first(where: { $0.agency == "CA" }) else { return [0, 0, 0, 0] }
        return [r.closedOnTime, r.closedLate, r.openWithinTerm, r.openOverdue]
    }

    @Test func theEdgesOfHalvesAndYears() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            try await store.setClock(fixedAt: Self.at("2026-03-02T09:00:00+07:00"), offset: nil)
            let plan = try await w.plan(number: "1/KH-KY", issuedOn: "2026-03-02")
            func due(_ form: String, _ date: String) async throws -> TaskRecord {
                try await w.task(plan, ["due": .object([form: .string(date)]), "cooperating": .array([])])
            }
            let onJune30 = try await due("on", "2026-06-30")              // due 00:00 1/7: H1
            _ = try await due("before", "2026-07-01")                      // the same instant: H1
            _ = try await due("before", "2026-07-02")                      // due 00:00 2/7: counts on 1/7, H2
            _ = try await due("on", "2026-12-31")                          // due 00:00 1/1/2027: 2026
            _ = try await due("before", "2027-01-01")                      // the same instant: 2026
            _ = try await due("before", "2026-01-01")                      // due 00:00 1/1/2026: 31/12/2025, already overdue
            _ = try await due("at", "2026-01-01T00:00:01+07:00")           // one second into 2026: 2026
            #expect(onJune30.dueAt?.text == "2026-07-01T00:00:00+07:00")
            #expect(try await Self.ca(store, w, plan, "2026-H1") == [0, 0, 2, 1])
            #expect(try await Self.ca(store, w, plan, "2026-H2") == [0, 0, 3, 0])
            #expect(try await Self.ca(store, w, plan, "2026") == [0, 0, 5, 1])
            #expect(try await Self.ca(store, w, plan, "2025") == [0, 0, 0, 1])
            #expect(try await Self.ca(store, w, plan, "2025-12") == [0, 0, 0, 1])
            #expect(try await Self.ca(store, w, plan, "2026-06") == [0, 0, 2, 0])
            #expect(try await Self.ca(store, w, plan, "2026-07") == [0, 0, 1, 0])
            #expect(try await Self.ca(store, w, plan, "2026-Q2") == [0, 0, 2, 0])
            #expect(try await Self.ca(store, w, plan, "2026-Q4") == [0, 0, 2, 0])
            #expect(try await Self.ca(store, w, plan, "2027") == [0, 0, 0, 0])
            // Closed on time on 20/6: still the first half.
            try await store.setClock(fixedAt: Self.at("2026-06-20T09:00:00+07:00"), offset: nil)
            for (name, note) in [("acknowledge", nil), ("start", nil), ("submit", "Đã xong")] as [(String, String?)] {
                _ = try await store.transition(taskID: onJune30.id, request: .init(name: name, note: note), ifMatch: nil, by: w.police)
            }
            _ = try await store.transition(taskID: onJune30.id, request: .init(name: "close"), ifMatch: nil, by: w.chair)
            #expect(try await Self.ca(store, w, plan, "2026-H1") == [1, 0, 1, 1])
            #expect(try await Self.ca(store, w, plan, "2026-H2") == [0, 0, 3, 0])
        }
    }

    @Test func anExtensionAcrossTheBoundaryMovesTheTaskToThePeriodInForce() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            try await store.setClock(fixedAt: Self.at("2026-06-10T09:00:00+07:00"), offset: nil)
            let plan = try await w.plan(number: "2/KH-KY", issuedOn: "2026-06-10")
            let task = try await w.task(plan, ["due": .object(["before": .string("2026-06-20")]), "cooperating": .array([])])
            #expect(try await Self.ca(store, w, plan, "2026-H1") == [0, 0, 1, 0])
            _ = try await store.transition(taskID: task.id, request: .init(name: "request_extension", params: ["due": .object(["on": .string("2026-07-15")])]),
                                           ifMatch: nil, by: w.police)
            _ = try await store.transition(taskID: task.id, request: .init(name: "approve_extension"), ifMatch: nil, by: w.chair)
            #expect(try await Self.ca(store, w, plan, "2026-H1") == [0, 0, 0, 0], "the first due time no longer places it")
            #expect(try await Self.ca(store, w, plan, "2026-H2") == [0, 0, 1, 0])
            // Closed on 1/7, after the first due time but within the one in force: on time, in H2.
            try await store.setClock(fixedAt: Self.at("2026-07-01T09:00:00+07:00"), offset: nil)
            for (name, note) in [("acknowledge", nil), ("start", nil), ("submit", "Đã xong")] as [(String, String?)] {
                _ = try await store.transition(taskID: task.id, request: .init(name: name, note: note), ifMatch: nil, by: w.police)
            }
            _ = try await store.transition(taskID: task.id, request: .init(name: "close"), ifMatch: nil, by: w.chair)
            #expect(try await Self.ca(store, w, plan, "2026-H2") == [1, 0, 0, 0])
            #expect(try await Self.ca(store, w, plan, "2026-07") == [1, 0, 0, 0])
        }
    }

    @Test func aSemiannualReportFallsInTheHalfItReportsOn() async throws {
        try await TestCluster.withStore(poolSize: 8) { store in
            let w = try await World.make(store)
            try await store.setClock(fixedAt: Self.at("2026-03-02T09:00:00+07:00"), offset: nil)
            let plan = try await w.plan(number: "3/KH-KY", issuedOn: "2026-03-02")
            let parent = try await w.task(plan, ["lead": .object(["each_of_kind": .string("school")]), "cooperating": .array([]),
                                                 "due": .object(["yearly_before": .array([.string("06-01"), .string("12-01")])])])
            #expect(parent.children?.allSatisfy { $0.dueAt?.text == "2026-06-01T00:00:00+07:00" } == true)
            func schools(_ period: String) async throws -> [String: Int] {
                let stats = try await store.stats(period: try ReportPeriod(name: period), plan: plan.id, under: nil, for: w.chair)
                return Dictionary(uniqueKeysWithValues: stats.rows.map { ($0.agency, $0.closedOnTime + $0.closedLate + $0.openWithinTerm + $0.openOverdue) })
            }
            #expect(try await schools("2026-H1") == ["THCS1": 1, "THCS2": 1], "the report before 01/6 is the first half's")
            #expect(try await schools("2026-05") == ["THCS1": 1, "THCS2": 1], "due 00:00 1/6 counts on 31/5")
            #expect(try await schools("2026-06") == [:])
            // The June report passes; the next occurrence, before 01/12, is the second half's.
            try await store.setClock(fixedAt: Self.at("2026-06-02T09:00:00+07:00"), offset: nil)
            _ = try await store.sweep()
            #expect(try await schools("2026-H2") == ["THCS1": 1, "THCS2": 1])
            #expect(try await schools("2026-11") == ["THCS1": 1, "THCS2": 1])
            #expect(try await schools("2026") == ["THCS1": 2, "THCS2": 2])
        }
    }
}

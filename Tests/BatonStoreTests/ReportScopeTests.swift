import BatonCore
import BatonStore
import BatonTestSupport
import Foundation
import Testing

/// `under=` is applied where the board and the statistics read their rows (so a province's board reads the
/// province's tasks, not the country's): the result must be exactly the full report's rows of the agencies at or
/// below that agency, for every viewer, lead and cooperating counts alike.
@Suite struct ReportScopeTests {
    @Test func underGivesTheFullReportsRowsBelowTheAgency() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            try await store.setClock(fixedAt: RFC3339.parse("2026-03-02T09:00:00+07:00")!, offset: nil)
            let plan = try await w.plan()
            // Lead and cooperating parts on both sides of every subtree boundary, in several states.
            let a = try await w.task(plan, ["due": .object(["before": .string("2026-03-10")])])             // CA, GDDT cooperating
            _ = try await w.task(plan, ["lead": .object(["each_under": .string("GDDT")]), "cooperating": .array([.string("VKS")]),
                                        "due": .object(["before": .string("2026-03-20")])])
            let c = try await w.task(plan, ["lead": .string("VKS"), "cooperating": .array([.string("THCS2")]),
                                            "due": .object(["before": .string("2026-02-20")])])
            _ = try await w.task(plan, ["lead": .string("THCS1"), "cooperating": .array([.string("CA")]), "due": .object(["before": .string("2026-06-01")])])
            _ = try await store.transition(taskID: a.id, request: .init(name: "acknowledge"), ifMatch: nil, by: w.police)
            _ = try await store.transition(taskID: c.id, request: .init(name: "acknowledge"), ifMatch: nil, by: w.procuracy)
            _ = try await store.transition(taskID: c.id, request: .init(name: "start"), ifMatch: nil, by: w.procuracy)
            _ = try await store.transition(taskID: c.id, request: .init(name: "submit", note: "Xong"), ifMatch: nil, by: w.procuracy)
            _ = try await store.transition(taskID: c.id, request: .init(name: "close"), ifMatch: nil, by: w.chair)
            try await store.setClock(fixedAt: RFC3339.parse("2026-03-15T09:00:00+07:00")!, offset: nil)

            let below: [String: Set<String>] = [
                "UBND": ["UBND", "BCD", "CA", "VKS", "GDDT", "THCS1", "THCS2"], "GDDT": ["GDDT", "THCS1", "THCS2"],
                "THCS2": ["THCS2"], "CA": ["CA"], "BCD": ["BCD"],
            ]
            let period = try ReportPeriod(name: "2026-H1")
            for who in [w.admin, w.office, w.chair, w.education, w.police, w.viewer] {
                let board = try await store.board(BoardFilter(), for: who)
                let stats = try await store.stats(period: period, plan: nil, under: nil, for: who)
                #expect(!board.rows.isEmpty || who.agencyID != nil)
                for (under, codes) in below {
                    let part = try await store.board(BoardFilter(under: under), for: who)
                    #expect(part.rows == board.rows.filter { codes.contains($0.agency) }, "board under \(under) for \(who.login)")
                    let partStats = try await store.stats(period: period, plan: nil, under: under, for: who)
                    #expect(partStats.rows == stats.rows.filter { codes.contains($0.agency) }, "stats under \(under) for \(who.login)")
                    let inPlan = try await store.board(BoardFilter(plan: plan.id, under: under), for: w.office)
                    let wholePlan = try await store.board(BoardFilter(plan: plan.id), for: w.office)
                    #expect(inPlan.rows == wholePlan.rows.filter { codes.contains($0.agency) })
                }
            }
            // The admin's full board counts what is there: cooperating parts included.
            let all = try await store.board(BoardFilter(), for: w.admin)
            #expect(all.rows.first { $0.agency == "THCS2" }?.open == 1)
            #expect(all.rows.first { $0.agency == "CA" }?.cooperatingOpen == 1)
            #expect(all.rows.first { $0.agency == "VKS" }?.cooperatingOpen == 2)
        }
    }
}

import BatonCore
import Foundation
import Testing

@Suite struct TimeRoutesTests {
    @Test func statisticsAsJSONAndCSV() async throws {
        try await HTTPHarness.run { h in
            try await h.world.store.setClock(fixedAt: RFC3339.parse("2026-03-01T09:00:00+07:00")!, offset: nil)
            let plan = try await h.plan()
            _ = try await h.task(plan, ["due": .object(["before": .string("2026-03-10")])])
            _ = try await h.task(plan, ["due": .object(["working_days": .number(5)])])
            let stats = try await h.get("/v1/stats?from=2026-03-01&to=2026-03-31", as: "office")
            #expect(stats.status == .ok && stats["from"]?.stringValue == "2026-03-01" && stats["to"]?.stringValue == "2026-03-31")
            let ca = stats["rows"]?.arrayValue?.first { $0["agency"]?.stringValue == "CA" }
            #expect(ca?["open_within_term"]?.intValue == 2 && ca?["open_overdue"]?.intValue == 0)
            let csv = try await h.get("/v1/stats?from=2026-03-01&to=2026-03-31", as: "office", headers: ["Accept": "text/csv"])
            #expect(csv.body.prefix(3) == Data([0xEF, 0xBB, 0xBF]) && csv.text.contains("CA,Công an huyện Châu Thành A,0,0,2,0,0"))
            #expect(try await h.get("/v1/stats?from=2026-03-01", as: "office").isProblem(.unprocessableContent, "validation_failed"))
            #expect(try await h.get("/v1/stats?from=2026-03-31&to=2026-03-01", as: "office").isProblem(.unprocessableContent, "validation_failed"))
            #expect(try await h.get("/v1/stats?from=2026-02-30&to=2026-03-01", as: "office").isProblem(.unprocessableContent, "validation_failed"))
        }
    }

    @Test func statisticsForANamedPeriod() async throws {
        try await HTTPHarness.run { h in
            try await h.world.store.setClock(fixedAt: RFC3339.parse("2026-03-01T09:00:00+07:00")!, offset: nil)
            let plan = try await h.plan()
            _ = try await h.task(plan, ["due": .object(["on": .string("2026-06-30")])])
            _ = try await h.task(plan, ["due": .object(["before": .string("2026-07-01")])])
            _ = try await h.task(plan, ["due": .object(["before": .string("2026-07-02")])])
            func open(_ query: String) async throws -> Int? {
                let r = try await h.get("/v1/stats?\(query)", as: "office")
                return r.json["rows"]?.arrayValue?.first { $0["agency"]?.stringValue == "CA" }?["open_within_term"]?.intValue
            }
            let h1 = try await h.get("/v1/stats?period=2026-H1", as: "office")
            #expect(h1.status == .ok && h1["period"]?.stringValue == "2026-H1")
            #expect(h1["from"]?.stringValue == "2026-01-01" && h1["to"]?.stringValue == "2026-06-30")
            #expect(try await open("period=2026-H1") == 2, "{on: 30/6} and {before: 01/7} are the first half's")
            #expect(try await open("from=2026-01-01&to=2026-06-30") == 2)
            #expect(try await open("period=2026-H2") == 1)
            #expect(try await open("period=2026-Q3") == 1)
            #expect(try await open("period=2026-06") == 2)
            #expect(try await open("period=2026") == 3)
            #expect(try await h.get("/v1/stats?from=2026-07-01&to=2026-07-20", as: "office")["period"] == .null, "a span that is no period has none")
            #expect(try await h.get("/v1/stats?from=2026-07-01&to=2026-09-30", as: "office")["period"]?.stringValue == "2026-Q3")
            let csv = try await h.get("/v1/stats?period=2026-H1", as: "office", headers: ["Accept": "text/csv"])
            #expect(csv.text.contains("CA,Công an huyện Châu Thành A,0,0,2,0,0"))
            #expect(csv.headers[.contentDisposition]?.contains("stats-2026-H1.csv") == true)
            for (query, field) in [("period=2026-H3", "period"), ("period=2026-H1&from=2026-01-01", "period"), ("period=", "from"),
                                   ("to=2026-06-30", "from")] {
                let r = try await h.get("/v1/stats?\(query)", as: "office")
                #expect(r.isProblem(.unprocessableContent, "validation_failed") && r["field"]?.stringValue == field, "\(query): \(r.text)")
            }
        }
    }

    @Test func inboxesAndReading() async throws {
        try await HTTPHarness.run { h in
            let task = try await h.task(try await h.plan())
            let inbox = try await h.get("/v1/notifications?unread=true", as: "gd")
            let items = inbox["items"]?.arrayValue ?? []
            #expect(items.count == 1 && items[0]["kind"]?.stringValue == "assign" && items[0]["task_id"] == task["id"])
            #expect(items[0]["read"] == .bool(false))
            let id = items[0]["id"]!.intValue!
            #expect(try await h.send(.post, "/v1/notifications/\(id)/read", as: "vks").isProblem(.notFound, "not_found"), "another agency's")
            let read = try await h.send(.post, "/v1/notifications/\(id)/read", as: "gd")
            #expect(read.status == .ok && read["read"] == .bool(true))
            #expect(try await h.get("/v1/notifications?unread=true", as: "gd")["items"]?.arrayValue?.isEmpty == true)
            #expect(try await h.get("/v1/notifications", as: "gd")["items"]?.arrayValue?.count == 1)
        }
    }

    @Test func workingDaysAndYearlyBeforeOverREST() async throws {
        try await HTTPHarness.run { h in
            // Created Wednesday 29/4/2026; 30/4 and 1/5 are holidays, then a weekend: the 5th working day is Friday 8/5.
            try await h.world.store.setClock(fixedAt: RFC3339.parse("2026-04-29T10:00:00+07:00")!, offset: nil)
            let plan = try await h.plan()
            let wd = try await h.task(plan, ["due": .object(["working_days": .number(5)])])
            #expect(wd["due_at"]?.stringValue == "2026-05-09T00:00:00+07:00")
            let yearly = try await h.task(plan, ["lead": .string("CA"), "cooperating": .array([]),
                                                 "due": .object(["yearly_before": .array([.string("10-25")])])])
            #expect(yearly["recurrence"] == .array([.string("10-25")]))
            #expect(yearly["children"]?.arrayValue?.map { $0["due_at"]?.stringValue } == ["2026-10-25T00:00:00+07:00"])
            for bad in [JSONValue.object(["yearly_before": .array([])]), .object(["yearly_before": .array([.string("13-01")])]),
                        .object(["working_days": .number(0)]), .object(["working_days": .number(367)])] {
                let r = try await h.post("/v1/tasks", as: "chair", .object(["plan_id": .string(plan), "title": .string("x"), "lead": .string("CA"), "due": bad]))
                #expect(r.isProblem(.unprocessableContent, "validation_failed"), "\(bad)")
            }
        }
    }
}

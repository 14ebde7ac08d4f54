import BatonCore
import Foundation
import Testing

@Suite struct ProgrammeRoutesTests {
    @Test func treeIndicatorsAndIncidents() async throws {
        try await HTTPHarness.run { h in
            let yaml = """
                number: 10/KH-BCĐ138
                title: Kế hoạch huyện
                issued_on: 2026-01-05
                issuer: BCD
                monitor: CA
                indicators:
                  - {key: informed, name: Học sinh được tuyên truyền, unit: percent, direction: at_least, target: 70, reported_by: GDDT}
                tasks:
                  - {key: unit-plan, title: Xây dựng kế hoạch của ngành, lead: GDDT, due: {before: 2026-12-31}}
                """
            let top = try await h.send(.post, "/v1/plans/import", as: "chair", raw: Data(yaml.utf8), contentType: "application/yaml")
            #expect(top.status == .created, "\(top.text)")
            let id = top["id"]!.stringValue!
            let tree = try await h.get("/v1/plans/\(id)/tree", as: "office")
            #expect(tree["plan"]?["id"]?.stringValue == id && tree["children"] == .array([]))
            let report = try await h.post("/v1/plans/\(id)/indicators/informed/reports", as: "gd",
                                          .object(["period": .string("2026-H1"), "numerator": .number(80), "denominator": .number(100)]))
            #expect(report.status == .created && report["latest"]?["value"]?.intValue == 80 && report["latest"]?["meets_target"] == .bool(true))
            #expect(try await h.post("/v1/plans/\(id)/indicators/informed/reports", as: "gd", .object(["period": .string("H1"), "value": .number(1)]))
                        .isProblem(.unprocessableContent, "validation_failed"))
            #expect(try await h.post("/v1/plans/\(id)/indicators/nope/reports", as: "gd", .object(["period": .string("2026"), "value": .number(1)]))
                        .isProblem(.notFound, "not_found"))
            let list = try await h.get("/v1/plans/\(id)/indicators", as: "office")["items"]?.arrayValue ?? []
            #expect(list.first?["periods"]?.arrayValue?.count == 1)
            #expect(try await h.get("/v1/plans/\(id)", as: "office")["indicators"]?.arrayValue?.count == 1)

            let incident = try await h.post("/v1/plans/\(id)/incidents", as: "gd", .object(["title": .string("Sự việc bất thường tại trường")]))
            #expect(incident.status == .created && incident["kind"]?.stringValue == "incident" && incident["state"]?.stringValue == "reported")
            let chair = try await h.get("/v1/notifications?unread=true", as: "chair")["items"]?.arrayValue ?? []
            #expect(chair.compactMap { $0["kind"]?.stringValue } == ["incident"])
            let incidents = try await h.get("/v1/tasks?plan=\(id)&kind=incident", as: "office")["items"]?.arrayValue ?? []
            #expect(incidents.count == 1)
            #expect(try await h.post("/v1/plans/\(id)/incidents", as: "vks", .object(["title": .string("x")])).isProblem(.notFound, "not_found"))
            #expect(try await h.post("/v1/plans/\(id)/incidents", as: "gd", .object(["title": .string("")])).isProblem(.unprocessableContent, "validation_failed"))
        }
    }
}

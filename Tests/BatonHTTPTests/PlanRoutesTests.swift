import BatonCore
import Foundation
import Testing

@Suite struct PlanRoutesTests {
    static let yaml = """
        number: 204/KH-BCĐ138
        title: Phòng ngừa tội phạm xâm hại tình dục trẻ em
        issued_on: 2024-10-30
        issuer: BCD
        monitor: CA
        tasks:
          - key: unit-plans
            title: Xây dựng kế hoạch của đơn vị và gửi về BCĐ 138 huyện
            lead: {each_under: GDDT}
            due: {before: 2024-11-15}
          - key: school-safety
            title: Phối hợp phòng chống bạo lực học đường
            lead: CA
            cooperating: [GDDT]
            due: {on: 2030-03-02}
        """

    @Test func importYAMLWhereOnIsAKey() async throws {
        try await HTTPHarness.run { h in
            let r = try await h.send(.post, "/v1/plans/import", as: "chair", raw: Data(Self.yaml.utf8), contentType: "application/yaml")
            #expect(r.status == .created, "\(r.text)")
            #expect(r["number"]?.stringValue == "204/KH-BCĐ138")
            #expect(r["progress"]?["tasks"]?.intValue == 3, "two schools of the fan-out and the police")
            #expect(r.headers[.location] == "/v1/plans/\(r["id"]?.stringValue ?? "")")
            let again = try await h.send(.post, "/v1/plans/import", as: "chair", raw: Data(Self.yaml.utf8), contentType: "text/yaml")
            #expect(again.isProblem(.conflict, "conflict"))
            let tasks = try await h.get("/v1/tasks?plan=\(r["id"]!.stringValue!)&agency=CA", as: "office")["items"]?.arrayValue ?? []
            #expect(tasks.first?["due_at"]?.stringValue == "2030-03-03T00:00:00+07:00")
        }
    }

    @Test func importRefusesWhatItCannotRead() async throws {
        try await HTTPHarness.run { h in
            #expect(try await h.send(.post, "/v1/plans/import", as: "chair", raw: Data("a: [".utf8), contentType: "application/yaml")
                        .isProblem(.badRequest, "malformed"))
            #expect(try await h.send(.post, "/v1/plans/import", as: "chair", raw: Data("x".utf8), contentType: "text/plain")
                        .isProblem(.unsupportedMediaType, "unsupported_media_type"))
            let unknownLead = Self.yaml.replacingOccurrences(of: "lead: CA", with: "lead: NOPE")
            let r = try await h.send(.post, "/v1/plans/import", as: "chair", raw: Data(unknownLead.utf8), contentType: "application/yaml")
            #expect(r.isProblem(.unprocessableContent, "validation_failed") && r["field"]?.stringValue == "tasks[1].lead")
            // Nothing was created by the refused imports.
            #expect(try await h.get("/v1/plans", as: "chair")["items"]?.arrayValue?.isEmpty == true)
            #expect(try await h.send(.post, "/v1/plans/import", as: "ca", raw: Data(Self.yaml.utf8), contentType: "application/yaml")
                        .isProblem(.forbidden, "forbidden"))
        }
    }

    @Test func createListGetAndVisibility() async throws {
        try await HTTPHarness.run { h in
            let id = try await h.plan("12/KH-BCĐ138")
            let plan = try await h.get("/v1/plans/\(id)", as: "office")
            #expect(plan["issuer"]?.stringValue == "BCD" && plan["monitor"]?.stringValue == "CA" && plan["basis_task"] == .null)
            #expect(plan["progress"] == .object(["tasks": .number(0), "open": .number(0), "closed": .number(0),
                                                 "closed_on_time": .number(0), "cancelled": .number(0), "overdue": .number(0),
                                                 "plans": .number(1)]))
            #expect(try await h.get("/v1/plans/\(id)", as: "vks").isProblem(.notFound, "not_found"), "no task of its in the plan")
            _ = try await h.task(id, ["lead": .string("VKS"), "cooperating": .array([])])
            #expect(try await h.get("/v1/plans/\(id)", as: "vks").status == .ok)
            #expect(try await h.get("/v1/plans/not-a-uuid", as: "chair").isProblem(.notFound, "not_found"))
            let dup = try await h.post("/v1/plans", as: "chair", .object([
                "number": .string("12/KH-BCĐ138"), "title": .string("x"), "issued_on": .string("2024-10-30"), "issuer": .string("BCD")]))
            #expect(dup.isProblem(.conflict, "conflict"))
            let other = try await h.post("/v1/plans", as: "chair", .object([
                "number": .string("13/KH"), "title": .string("x"), "issued_on": .string("2024-10-30"), "issuer": .string("CA")]))
            #expect(other.isProblem(.forbidden, "forbidden"), "a committee issues for its own agency only")
            let unknown = try await h.post("/v1/plans", as: "chair", .object([
                "number": .string("13/KH"), "title": .string("x"), "issued_on": .string("2024-10-30"), "issuer": .string("NO-SUCH")]))
            #expect(unknown.isProblem(.unprocessableContent, "validation_failed") && unknown["field"]?.stringValue == "issuer")
            let badDate = try await h.post("/v1/plans", as: "chair", .object([
                "number": .string("14/KH"), "title": .string("x"), "issued_on": .string("2024-02-30"), "issuer": .string("BCD")]))
            #expect(badDate.isProblem(.unprocessableContent, "validation_failed") && badDate["field"]?.stringValue == "issued_on")
        }
    }

    @Test func aBasisTaskOfAnotherAgencyReadsAsOneThatDoesNotExist() async throws {
        try await HTTPHarness.run { h in
            // A task the police lead: the committee of BCD cannot make a plan under it.
            let theirs = try await h.task(try await h.plan())
            func attempt(_ basis: String) async throws -> HTTPHarness.Reply {
                try await h.post("/v1/plans", as: "chair", .object([
                    "number": .string("\(UUID().uuidString.prefix(6))/KH"), "title": .string("Kế hoạch con"), "issued_on": .string("2024-10-30"),
                    "issuer": .string("BCD"), "basis_task": .string(basis)]))
            }
            let exists = try await attempt(theirs["id"]!.stringValue!)
            let missing = try await attempt(UUID().uuidString.lowercased())
            #expect(exists.isProblem(.unprocessableContent, "validation_failed") && exists["field"]?.stringValue == "basis_task")
            #expect(exists["detail"] == missing["detail"] && exists.status == missing.status && exists["code"] == missing["code"],
                    "\(exists.text) / \(missing.text)")
        }
    }
}

import Foundation
import Testing
@testable import BatonCore

@Suite("Fields")
struct FieldsTests {
    static func object(_ text: String) throws -> JSONValue { try JSONValue.parse(json: Data(text.utf8)) }

    /// Runs `body` and returns the field and detail of the validation error it throws.
    static func failure(_ body: () throws -> Void) -> (field: String?, detail: String)? {
        do {
            try body()
            return nil
        } catch let e as BatonError where e.code == .validationFailed {
            return (e.field, e.detail)
        } catch {
            return nil
        }
    }

    @Test func refusesWhatIsNotAnObjectNamingItsPath() throws {
        let top = Self.failure { _ = try Fields(.array([]), allowed: [], what: "a thing") }
        #expect(top?.field == nil && top?.detail == "a thing must be an object")
        let nested = Self.failure { _ = try Fields(.string("x"), at: "tasks[1]", allowed: [], what: "a task", notObject: "must be a task") }
        #expect(nested?.field == "tasks[1]" && nested?.detail == "must be a task")
    }

    @Test func refusesTheFirstUnknownKeyInOrder() throws {
        let json = try Self.object(#"{"zeta": 1, "alpha": 2, "name": "x"}"#)
        let top = Self.failure { _ = try Fields(json, allowed: ["name"], what: "a comment (body)") }
        #expect(top?.field == "alpha" && top?.detail == "is not a field of a comment (body)")
        let nested = Self.failure { _ = try Fields(json, at: "tasks[0].cooperating[2]", allowed: ["name"], what: "x") }
        #expect(nested?.field == "tasks[0].cooperating[2].alpha")
    }

    @Test func readsTypedFieldsAndTreatsNullAsAbsent() throws {
        let f = try Fields(try Self.object(#"""
            {"title": "Kế hoạch tuyên truyền", "note": null, "code": "CA-CTA", "n": 3.5, "list": [1, 2], "o": {"a": 1}, "blank": "  "}
            """#), at: "p", allowed: ["title", "note", "code", "n", "list", "o", "blank", "missing"], what: "x")
        #expect(f.at("title") == "p.title")
        #expect(try f.text("title", max: 100) == "Kế hoạch tuyên truyền")
        #expect(try f.optionalText("note", max: 100) == nil)
        #expect(try f.optionalText("blank", max: 100) == nil)
        #expect(f["note"] == nil && f["missing"] == nil)
        #expect(try f.string("missing") == nil)
        #expect(try f.string("code") == "CA-CTA")
        #expect(try f.code("code") == "CA-CTA")
        #expect(try f.optionalCode("missing") == nil)
        #expect(try f.count("n") == 3.5)
        #expect(try f.count("note") == nil)
        #expect(try f.list("list").map(\.path) == ["p.list[0]", "p.list[1]"])
        #expect(try f.list("missing").isEmpty)
        #expect(try f.object("o")?["a"] == .number(1))
        #expect(try f.read("o") { _, path in path } == "p.o")
        #expect(try f.read("note") { _, path in path } == nil)
    }

    @Test func typeErrorsNameTheField() throws {
        let f = try Fields(try Self.object(#"{"title": 3, "n": -1, "list": {}, "o": [], "code": "bad code"}"#), at: "p",
                           allowed: ["title", "n", "list", "o", "code", "gone"], what: "x")
        #expect(Self.failure { _ = try f.text("title", max: 10) }! == ("p.title", "must be text"))
        #expect(Self.failure { _ = try f.text("gone", max: 10) }! == ("p.gone", "is required"))
        #expect(Self.failure { _ = try f.count("n") }! == ("p.n", "must be a number of 0 or more"))
        #expect(Self.failure { _ = try f.list("list", of: "agency codes") }! == ("p.list", "must be a list of agency codes"))
        #expect(Self.failure { _ = try f.object("o") }! == ("p.o", "must be an object"))
        #expect(Self.failure { _ = try f.code("code") }?.field == "p.code")
    }

    @Test func aNumberIsNotText() throws {
        let f = try Fields(try Self.object(#"{"code": 12345, "kind": true, "period": 2026, "list": ["a"]}"#), allowed: ["code", "kind", "period", "list"], what: "x")
        #expect(Self.failure { _ = try f.string("period") }! == ("period", "must be text"))
        #expect(Self.failure { _ = try f.string("list") }! == ("list", "must be text"))
        #expect(Self.failure { _ = try f.code("code") }! == ("code", "must be text"))
        #expect(Self.failure { _ = try f.optionalCode("kind") }! == ("kind", "must be text"))
        // Each request type reads through the same rule.
        #expect(Self.failure { _ = try AgencySpec(json: try Self.object(#"{"code": 12345, "name": "x", "kind": "police"}"#)) }! == ("code", "must be text"))
        #expect(Self.failure { _ = try AgencySpec(json: try Self.object(#"{"code": "A", "name": "x", "kind": "police", "parent": 7}"#)) }! == ("parent", "must be text"))
        #expect(Self.failure { _ = try IndicatorReport(json: try Self.object(#"{"period": 2026, "value": 5}"#)) }! == ("period", "must be text"))
        #expect(Self.failure { _ = try TransitionRequest(json: try Self.object(#"{"name": 5}"#)) }! == ("name", "must be text"))
        #expect(Self.failure { _ = try TaskRequest(json: try Self.object(#"{"plan_id": 5, "title": "x", "lead": "CA"}"#)) }! == ("plan_id", "must be text"))
        let task = #"{"plan_id": "0C2B7E4A-1D2E-4F00-8A00-000000000001", "title": "x", "lead": "CA""#
        #expect(Self.failure { _ = try TaskRequest(json: try Self.object(task + #", "key": 5}"#)) }?.field == "key")
        #expect(Self.failure { _ = try TaskRequest(json: try Self.object(task + #", "cooperating": [{"agency": 5}]}"#)) }! == ("cooperating[0].agency", "must be text"))
        #expect(Self.failure { _ = try TaskRequest(json: try Self.object(task + #", "due": {"before": 20261115}}"#)) }?.field == "due.before")
        #expect(Self.failure { _ = try PlanDocument(json: try Self.object(#"{"number": "1/KH", "title": "x", "issued_on": "2026-01-01", "issuer": "A", "time_zone": 7}"#)) }! == ("time_zone", "must be text"))
    }

    @Test func requestTypesReadTheirBodies() throws {
        let t = try TransitionRequest(json: try Self.object(#"{"name": "submit", "note": "Đã xong", "params": {"to": "CA"}}"#))
        #expect(t == TransitionRequest(name: "submit", note: "Đã xong", params: ["to": .string("CA")]))
        #expect(Self.failure { _ = try TransitionRequest(json: try Self.object(#"{"name": ""}"#)) }! == ("name", "is required"))
        #expect(Self.failure { _ = try TransitionRequest(json: try Self.object(#"{"name": "x", "params": 1}"#)) }! == ("params", "must be an object"))
        #expect(Self.failure { _ = try TransitionRequest(json: try Self.object(#"{"name": "x", "by": 1}"#)) }?.field == "by")
        #expect(try CommentRequest(json: try Self.object(#"{"body": "Ý kiến"}"#)).body == "Ý kiến")
        #expect(Self.failure { _ = try CommentRequest(json: .string("x")) }?.field == nil)
        let incident = try IncidentReport(json: try Self.object(#"{"title": "Vụ việc"}"#))
        #expect(incident.title == "Vụ việc" && incident.description == nil)
        let agency = try AgencySpec(json: try Self.object(#"{"code": "TA-CTA", "name": "Tòa án", "kind": "court", "parent": ""}"#))
        #expect(agency.code == "TA-CTA" && agency.parent == nil)
        #expect(Self.failure { _ = try AgencySpec(json: try Self.object(#"{"code": "TA", "name": "x", "kind": "Court"}"#)) }?.field == "kind")
        let task = try TaskRequest(json: try Self.object(#"{"plan_id": "0C2B7E4A-1D2E-4F00-8A00-000000000001", "title": "x", "lead": "CA"}"#))
        #expect(task.planID.lower == "0c2b7e4a-1d2e-4f00-8a00-000000000001" && task.spec.lead == .agency("CA"))
        #expect(Self.failure { _ = try TaskRequest(json: try Self.object(#"{"plan_id": "nope"}"#)) }?.field == "plan_id")
        let report = try IndicatorReport(json: try Self.object(#"{"period": "2026-H1", "numerator": 35, "denominator": 50}"#))
        #expect(report.value == 70)
        #expect(Self.failure { _ = try IndicatorReport(json: try Self.object(#"{"period": "2026-H3", "value": 1}"#)) }?.field == "period")
    }
}

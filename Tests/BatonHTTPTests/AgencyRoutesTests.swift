import BatonCore
import Foundation
import Testing

@Suite struct AgencyRoutesTests {
    @Test func searchIgnoresCaseAndDiacritics() async throws {
        try await HTTPHarness.run { h in
            let found = try await h.get("/v1/agencies?q=cong%20an", as: "office")["items"]?.arrayValue ?? []
            #expect(found.compactMap { $0["code"]?.stringValue } == ["CA"])
            let accented = try await h.get("/v1/agencies?q=C%C3%B4ng%20AN", as: "office")["items"]?.arrayValue ?? []
            #expect(accented.compactMap { $0["code"]?.stringValue } == ["CA"])
            let dd = try await h.get("/v1/agencies?q=dao%20tao", as: "office")["items"]?.arrayValue ?? []
            #expect(dd.compactMap { $0["code"]?.stringValue } == ["GDDT"], "đ folds to d")
            let schools = try await h.get("/v1/agencies?kind=school", as: "office")["items"]?.arrayValue ?? []
            #expect(schools.compactMap { $0["code"]?.stringValue } == ["THCS1", "THCS2"])
            let under = try await h.get("/v1/agencies?parent=GDDT", as: "office")["items"]?.arrayValue ?? []
            #expect(under.count == 2)
            let one = try await h.get("/v1/agencies/CA", as: "ca")
            #expect(one["name"]?.stringValue == "Công an huyện Châu Thành A" && one["parent"]?.stringValue == "UBND")
            #expect(try await h.get("/v1/agencies/NOPE", as: "ca").isProblem(.notFound, "not_found"))
        }
    }

    @Test func keysetPagination() async throws {
        try await HTTPHarness.run { h in
            var codes: [String] = []
            var cursor: String?
            repeat {
                let page = try await h.get("/v1/agencies?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""), as: "root")
                codes += page["items"]?.arrayValue?.compactMap { $0["code"]?.stringValue } ?? []
                cursor = page["next_cursor"]?.stringValue
            } while cursor != nil
            #expect(codes == ["BCD", "CA", "GDDT", "THCS1", "THCS2", "UBND", "VKS"])
            #expect(try await h.get("/v1/agencies?limit=0", as: "root").isProblem(.unprocessableContent, "validation_failed"))
            #expect(try await h.get("/v1/agencies?limit=501", as: "root").isProblem(.unprocessableContent, "validation_failed"))
            #expect(try await h.get("/v1/agencies?cursor=garbage", as: "root").isProblem(.unprocessableContent, "validation_failed"))
        }
    }

    @Test func onlyAnAdminAddsAgencies() async throws {
        try await HTTPHarness.run { h in
            let body: JSONValue = .object(["code": .string("TA"), "name": .string("Tòa án nhân dân huyện Châu Thành A"),
                                           "kind": .string("court"), "parent": .string("UBND")])
            #expect(try await h.post("/v1/agencies", as: "chair", body).isProblem(.forbidden, "forbidden"))
            let created = try await h.post("/v1/agencies", as: "root", body)
            #expect(created.status == .created && created.headers[.location] == "/v1/agencies/TA")
            #expect(created["name"]?.stringValue == "Tòa án nhân dân huyện Châu Thành A")
            #expect(try await h.post("/v1/agencies", as: "root", body).isProblem(.conflict, "conflict"))
            let orphan: JSONValue = .object(["code": .string("X"), "name": .string("X"), "kind": .string("court"), "parent": .string("NOPE")])
            #expect(try await h.post("/v1/agencies", as: "root", orphan).isProblem(.unprocessableContent, "validation_failed"))
            let badKind: JSONValue = .object(["code": .string("X"), "name": .string("X"), "kind": .string("Tòa")])
            #expect(try await h.post("/v1/agencies", as: "root", badKind).isProblem(.unprocessableContent, "validation_failed"))
            // A number is not a code, though its digits would make one: 422 naming the field, nothing made.
            let numeric: JSONValue = .object(["code": .number(12345), "name": .string("X"), "kind": .string("court")])
            let refused = try await h.post("/v1/agencies", as: "root", numeric)
            #expect(refused.isProblem(.unprocessableContent, "validation_failed") && refused["field"] == .string("code"))
            #expect(try await h.get("/v1/agencies/12345", as: "root").isProblem(.notFound, "not_found"))
        }
    }
}

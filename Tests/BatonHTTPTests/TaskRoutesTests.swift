import BatonCore
import Foundation
import Testing

@Suite struct TaskRoutesTests {
    @Test func lifecycleWithETags() async throws {
        try await HTTPHarness.run { h in
            let task = try await h.task(try await h.plan())
            let id = task["id"]!.stringValue!
            #expect(task["state"]?.stringValue == "assigned" && task["version"]?.intValue == 1 && task["lead"]?.stringValue == "CA")
            #expect(task["cooperating"] == .array([.object(["agency": .string("GDDT"), "acknowledged_at": .null, "acknowledged_late": .null,
                                                         "due_at": .null, "contribution": .null])]))
            #expect(task["due_at"]?.stringValue == "2030-11-15T00:00:00+07:00" && task["overdue"] == .bool(false))
            let read = try await h.get("/v1/tasks/\(id)", as: "ca")
            #expect(read.headers[.eTag] == "\"1\"")
            let ack = try await h.transition(id, "acknowledge", as: "ca", headers: ["If-Match": "\"1\""])
            #expect(ack.status == .ok && ack["state"]?.stringValue == "acknowledged" && ack.headers[.eTag] == "\"2\"")
            #expect(try await h.transition(id, "start", as: "ca", headers: ["If-Match": "\"1\""]).isProblem(.preconditionFailed, "version_conflict"))
            #expect(try await h.transition(id, "start", as: "ca").status == .ok)
            #expect(try await h.transition(id, "submit", as: "ca").isProblem(.unprocessableContent, "validation_failed"), "a note is required")
            #expect(try await h.transition(id, "submit", as: "ca", note: "Đã tổ chức 3 buổi tuyên truyền").status == .ok)
            #expect(try await h.transition(id, "close", as: "ca").isProblem(.forbidden, "forbidden"))
            let closed = try await h.transition(id, "close", as: "chair")
            #expect(closed["state"]?.stringValue == "closed" && closed["on_time"] == .bool(true) && closed["closed_at"]?.stringValue != nil)
            #expect(try await h.transition(id, "acknowledge", as: "ca").isProblem(.conflict, "invalid_transition"))
            #expect(try await h.transition(id, "teleport", as: "ca").isProblem(.unprocessableContent, "validation_failed"))
            let events = try await h.get("/v1/tasks/\(id)/events", as: "office")["items"]?.arrayValue ?? []
            #expect(events.compactMap { $0["name"]?.stringValue } == ["assign", "acknowledge", "start", "submit", "close"])
            #expect(events[3]["note"]?.stringValue == "Đã tổ chức 3 buổi tuyên truyền" && events[3]["from"]?.stringValue == "in_progress")
        }
    }

    @Test func cooperatingAgencyAcknowledgesItsPart() async throws {
        try await HTTPHarness.run { h in
            let id = try await h.task(try await h.plan())["id"]!.stringValue!
            let r = try await h.transition(id, "acknowledge", as: "gd")
            #expect(r.status == .ok && r["state"]?.stringValue == "assigned")
            #expect(r["cooperating"]?.arrayValue?.first?["acknowledged_at"]?.stringValue != nil)
            #expect(try await h.transition(id, "acknowledge", as: "gd").isProblem(.conflict, "invalid_transition"))
        }
    }

    @Test func idempotencyKeyReplaysTheFirstResponse() async throws {
        try await HTTPHarness.run { h in
            let plan = try await h.plan()
            let body: JSONValue = .object(["plan_id": .string(plan), "title": .string("Tuyên truyền"), "lead": .string("CA")])
            let first = try await h.post("/v1/tasks", as: "chair", body, headers: ["Idempotency-Key": "abc-1"])
            let second = try await h.post("/v1/tasks", as: "chair", body, headers: ["Idempotency-Key": "abc-1"])
            #expect(first.status == .created && second.status == .created && first.body == second.body)
            let spaced = "{ \"lead\": \"CA\",\n  \"title\": \"Tuyên truyền\", \"plan_id\": \"\(plan)\" }"
            let third = try await h.send(.post, "/v1/tasks", as: "chair", raw: Data(spaced.utf8), contentType: "application/json",
                                         headers: ["Idempotency-Key": "abc-1"])
            #expect(third.status == .created && third.body == first.body, "the same JSON, spaced and ordered differently, is the same request")
            #expect(try await h.get("/v1/tasks?plan=\(plan)", as: "chair")["items"]?.arrayValue?.count == 1)
            let different = try await h.post("/v1/tasks", as: "chair", .object(["plan_id": .string(plan), "title": .string("Khác"), "lead": .string("CA")]),
                                             headers: ["Idempotency-Key": "abc-1"])
            #expect(different.isProblem(.unprocessableContent, "validation_failed"))
            let id = first["id"]!.stringValue!
            let a = try await h.transition(id, "acknowledge", as: "ca", headers: ["Idempotency-Key": "ack-1"])
            let b = try await h.transition(id, "acknowledge", as: "ca", headers: ["Idempotency-Key": "ack-1"])
            #expect(a.status == .ok && b.status == .ok && a.body == b.body)
            let events = try await h.get("/v1/tasks/\(id)/events", as: "ca")["items"]?.arrayValue ?? []
            #expect(events.filter { $0["name"]?.stringValue == "acknowledge" }.count == 1)
        }
    }

    @Test func badInputChangesNothing() async throws {
        try await HTTPHarness.run { h in
            let plan = try await h.plan()
            #expect(try await h.send(.post, "/v1/tasks", as: "chair", raw: Data(#"{"plan_id": "#.utf8), contentType: "application/json")
                        .isProblem(.badRequest, "malformed"))
            for bytes: [UInt8] in [[0x7B, 0x22, 0x74, 0x69, 0x74, 0x6C, 0x65, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D], [0xFF, 0xFE, 0x7B, 0x7D]] {
                #expect(try await h.send(.post, "/v1/tasks", as: "chair", raw: Data(bytes), contentType: "application/json")
                            .isProblem(.badRequest, "malformed"), "invalid UTF-8")
            }
            #expect(try await h.send(.post, "/v1/tasks", as: "chair", raw: Data("plan_id=1".utf8), contentType: "application/x-www-form-urlencoded")
                        .isProblem(.unsupportedMediaType, "unsupported_media_type"))
            let huge = Data(repeating: UInt8(ascii: "x"), count: 2 << 20)
            #expect(try await h.send(.post, "/v1/tasks", as: "chair", raw: huge, contentType: "application/json").isProblem(.contentTooLarge, "payload_too_large"))
            let base: [String: JSONValue] = ["plan_id": .string(plan), "title": .string("x"), "lead": .string("CA"), "due": .object(["before": .string("2030-01-01")])]
            for bad: [String: JSONValue] in [["lead": .string("NO-SUCH")], ["due": .object(["before": .string("2030-02-30")])],
                                             ["due": .object(["before": .string("9999-12-31")])],
                                             ["due": .object(["before": .string("15/11/2024x")])], ["title": .string("")],
                                             ["cooperating": .array([.string("NO-SUCH")])], ["due": .object(["working_days": .number(-3)])],
                                             ["title": .string("a\u{0}b")], ["lead": .object(["each_under": .string("NOPE")])]] {
                let r = try await h.post("/v1/tasks", as: "chair", .object(base.merging(bad) { $1 }))
                #expect(r.isProblem(.unprocessableContent, "validation_failed"), "\(bad)")
            }
            #expect(try await h.get("/v1/tasks?plan=\(plan)", as: "chair")["items"]?.arrayValue?.isEmpty == true)
            let last = try await h.post("/v1/tasks", as: "chair", .object(base.merging(["due": .object(["on": .string("2999-12-31")])]) { $1 }))
            #expect(last.status == .created && last["due_at"]?.stringValue == "3000-01-01T00:00:00+07:00", "the last day Baton accepts")
            let title = "'); DROP TABLE tasks; -- Tuyên truyền 🚸 "
            let ok = try await h.post("/v1/tasks", as: "chair", .object(base.merging(["title": .string(title)]) { $1 }))
            #expect(ok.status == .created && ok["title"]?.stringValue == title)
        }
    }

    @Test func whoSeesWhat() async throws {
        try await HTTPHarness.run { h in
            let plan = try await h.plan()
            let id = try await h.task(plan)["id"]!.stringValue!
            for who in ["chair", "office", "ca", "gd", "root", "watch"] {
                #expect(try await h.get("/v1/tasks/\(id)", as: who).status == .ok, "\(who)")
            }
            for who in ["vks", "s1"] {
                #expect(try await h.get("/v1/tasks/\(id)", as: who).isProblem(.notFound, "not_found"), "\(who)")
                #expect(try await h.transition(id, "acknowledge", as: who).isProblem(.notFound, "not_found"), "\(who)")
            }
            #expect(try await h.transition(id, "acknowledge", as: "watch").isProblem(.forbidden, "forbidden"), "a viewer reads only")
            #expect(try await h.get("/v1/tasks/00000000-0000-0000-0000-000000000000", as: "ca").isProblem(.notFound, "not_found"))
            #expect(try await h.post("/v1/tasks", as: "ca", .object(["plan_id": .string(plan), "title": .string("x"), "lead": .string("CA")]))
                        .isProblem(.forbidden, "forbidden"))
        }
    }

    @Test func fanOutHandoffAndExtension() async throws {
        try await HTTPHarness.run { h in
            let plan = try await h.plan()
            let parent = try await h.task(plan, ["lead": .object(["each_under": .string("GDDT")]), "cooperating": .array([])])
            #expect(parent["lead"] == .null && parent["fanout"] == .object(["each_under": .string("GDDT")]))
            let children = parent["children"]?.arrayValue ?? []
            #expect(children.compactMap { $0["lead"]?.stringValue } == ["THCS1", "THCS2"])
            #expect(children.allSatisfy { $0["parent_id"] == parent["id"] })

            let id = try await h.task(plan)["id"]!.stringValue!
            let asked = try await h.transition(id, "handoff", as: "ca", params: .object(["to": .string("VKS")]))
            #expect(asked.status == .ok && asked["lead"]?.stringValue == "CA" && asked["pending"]?["handoff"]?["to"]?.stringValue == "VKS")
            let moved = try await h.transition(id, "approve_handoff", as: "chair")
            #expect(moved["lead"]?.stringValue == "VKS" && moved["state"]?.stringValue == "assigned")
            #expect(try await h.get("/v1/tasks/\(id)", as: "vks").status == .ok)
            #expect(try await h.transition(id, "handoff", as: "chair", params: .object(["to": .string("NOPE")])).isProblem(.unprocessableContent, "validation_failed"))

            let ext = try await h.transition(id, "request_extension", as: "vks", params: .object(["due": .object(["before": .string("2031-01-01")])]))
            #expect(ext.status == .ok && ext["pending"]?["extension"]?["due_at"]?.stringValue == "2031-01-01T00:00:00+07:00")
            let approved = try await h.transition(id, "approve_extension", as: "chair")
            #expect(approved["due_at"]?.stringValue == "2031-01-01T00:00:00+07:00")
            #expect(approved["original_due_at"]?.stringValue == "2030-11-15T00:00:00+07:00")
        }
    }

    @Test func taskListPagesInIDOrder() async throws {
        try await HTTPHarness.run { h in
            let plan = try await h.plan()
            var made: [String] = []
            for _ in 0..<5 { made.append(try await h.task(plan)["id"]!.stringValue!) }
            // The lead's officer (grounds on the tasks alone) and the committee's office (plan-wide grounds).
            for who in ["ca", "office"] {
                var ids: [String] = []
                var cursor: String?
                repeat {
                    let page = try await h.get("/v1/tasks?plan=\(plan)&limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), as: who)
                    let items = page["items"]?.arrayValue ?? []
                    #expect(items.count <= 2 && items.allSatisfy { $0["lead"]?.stringValue == "CA" })
                    ids += items.compactMap { $0["id"]?.stringValue }
                    cursor = page["next_cursor"]?.stringValue
                } while cursor != nil
                #expect(ids == made.sorted(), "\(who)")
            }
        }
    }

    @Test func overdueAndOnDueForms() async throws {
        try await HTTPHarness.run { h in
            let plan = try await h.plan()
            let late = try await h.task(plan, ["due": .object(["before": .string("2024-11-15")])])
            #expect(late["overdue"] == .bool(true) && late["due_at"]?.stringValue == "2024-11-15T00:00:00+07:00")
            let overdue = try await h.get("/v1/tasks?overdue=true&plan=\(plan)", as: "office")["items"]?.arrayValue ?? []
            #expect(overdue.count == 1)
            let on = try await h.task(plan, ["due": .object(["on": .string("2030-03-02")])])
            #expect(on["due_at"]?.stringValue == "2030-03-03T00:00:00+07:00")
            let at = try await h.task(plan, ["due": .object(["at": .string("2030-03-02T09:30:00Z")])])
            #expect(at["due_at"]?.stringValue == "2030-03-02T16:30:00+07:00")
            let before = try await h.get("/v1/tasks?plan=\(plan)&due_before=2030-03-03", as: "office")["items"]?.arrayValue ?? []
            #expect(before.count == 2)
            // The same filter for the lead's officer and a cooperating agency's (grounds that do not read the plan).
            for officer in ["ca", "gd"] {
                let theirs = try await h.get("/v1/tasks?plan=\(plan)&due_before=2030-03-03", as: officer)["items"]?.arrayValue ?? []
                #expect(theirs.map { $0["id"] } == before.map { $0["id"] })
            }
            let notOverdue = try await h.get("/v1/tasks?overdue=false&plan=\(plan)", as: "office")["items"]?.arrayValue ?? []
            #expect(notOverdue.count == 2 && notOverdue.allSatisfy { $0["overdue"] == .bool(false) })
        }
    }

    @Test func commentsAreEvents() async throws {
        try await HTTPHarness.run { h in
            let id = try await h.task(try await h.plan())["id"]!.stringValue!
            let c = try await h.post("/v1/tasks/\(id)/comments", as: "gd", .object(["body": .string("Đề nghị bổ sung số liệu")]))
            #expect(c.status == .created && c["name"]?.stringValue == "comment" && c["agency"]?.stringValue == "GDDT")
            #expect(c.headers[.location] == "/v1/tasks/\(id)/events/2")
            #expect(try await h.get("/v1/tasks/\(id)", as: "ca")["version"]?.intValue == 1, "a comment does not change the task")
            #expect(try await h.post("/v1/tasks/\(id)/comments", as: "watch", .object(["body": .string("x")])).isProblem(.forbidden, "forbidden"))
            #expect(try await h.post("/v1/tasks/\(id)/comments", as: "gd", .object(["body": .string(" ")])).isProblem(.unprocessableContent, "validation_failed"))
        }
    }

    @Test func boardAsJSONAndCSV() async throws {
        try await HTTPHarness.run { h in
            let plan = try await h.plan()
            _ = try await h.task(plan, ["due": .object(["before": .string("2024-11-15")])])
            let id = try await h.task(plan)["id"]!.stringValue!
            _ = try await h.transition(id, "acknowledge", as: "ca")
            let board = try await h.get("/v1/board?plan=\(plan)", as: "office")
            let row = board["rows"]?.arrayValue?.first
            #expect(row?["agency"]?.stringValue == "CA" && row?["open"]?.intValue == 2 && row?["unacknowledged"]?.intValue == 1)
            #expect(row?["overdue"]?.intValue == 1 && row?["on_time_rate"] == .null && board["as_of"]?.stringValue?.hasSuffix("+07:00") == true)
            let csv = try await h.get("/v1/board?plan=\(plan)", as: "office", headers: ["Accept": "text/csv"])
            #expect(csv.contentType.hasPrefix("text/csv") && csv.body.prefix(3) == Data([0xEF, 0xBB, 0xBF]))
            for (accept, wantsCSV) in [("text/csv;q=0.9, application/json", false), ("application/json;q=0.5, text/csv", true),
                                       ("text/html, text/csv", true), ("*/*", false), ("text/csv;q=0", false)] {
                let r = try await h.get("/v1/board?plan=\(plan)", as: "office", headers: ["Accept": accept])
                #expect(r.contentType.hasPrefix(wantsCSV ? "text/csv" : "application/json"), "\(accept)")
            }
            #expect(csv.text.contains("agency,name,open,unacknowledged,overdue,due_soon,closed,closed_on_time,closed_late,on_time_rate"))
            #expect(csv.text.contains("CA,Công an huyện Châu Thành A,2,1,1,0,0,0,0,"))
            #expect(try await h.get("/v1/board?plan=\(plan)", as: "vks").isProblem(.notFound, "not_found"))
            // format and lang are the document's values or 422 naming them, JSON or CSV alike; empty is none.
            for (query, field) in [("format=xml", "format"), ("lang=fr", "lang"), ("format=csv&lang=-5", "lang")] {
                let r = try await h.get("/v1/board?plan=\(plan)&\(query)", as: "office")
                #expect(r.isProblem(.unprocessableContent, "validation_failed") && r["field"] == .string(field), "\(query)")
            }
            #expect(try await h.get("/v1/board?plan=\(plan)&format=&lang=", as: "office").status == .ok)
        }
    }

    @Test func aRevokedTokenStopsWorking() async throws {
        try await HTTPHarness.run { h in
            #expect(try await h.get("/v1/me", as: "gd").status == .ok)
            _ = try await h.world.store.revokeToken(prefix: String(h.tokens["gd"]!.prefix(10)))
            #expect(try await h.get("/v1/me", as: "gd").isProblem(.unauthorized, "unauthenticated"))
            // Longer prefixes and the whole token name it too; a wrong tail past the stored prefix does not.
            #expect(try await h.world.store.revokeToken(prefix: String(h.tokens["ca"]!.prefix(20))) == "ca")
            #expect(try await h.world.store.revokeToken(prefix: h.tokens["s1"]!) == "s1")
            let vks = h.tokens["vks"]!
            await #expect { try await h.world.store.revokeToken(prefix: String(vks.dropLast()) + (vks.last == "a" ? "b" : "a")) }
                throws: { ($0 as? BatonError)?.code == .notFound }
            #expect(try await h.get("/v1/me", as: "vks").status == .ok)
            #expect(try await h.get("/v1/me", as: "ca").isProblem(.unauthorized, "unauthenticated"))
        }
    }
}

import BatonCore
import BatonStore
import Foundation
import HTTPTypes
import Testing

/// Each kind of person doing their work through the pages, on a real database.
@Suite struct PagesTests {
    /// The id in `/tasks/ID` links of a page.
    static func taskLinks(_ html: String) -> [String] {
        html.matches(of: /href="\/tasks\/([0-9a-f-]{36})"/).map { String($0.1) }
    }

    @Test func aTaskFromAssignmentToClosingThroughThePages() async throws {
        try await WebHarness.run { h in
            let store = h.world.store
            try await store.setClock(fixedAt: RFC3339.parse("2026-03-02T09:00:00+07:00")!, offset: nil)
            // The committee creates a plan and assigns a task by form.
            let chair = try await h.signedIn("chair")
            let newPlan = try await chair.get("/plans/new")
            #expect(newPlan.status == .ok && newPlan.text.contains("Ban Chỉ đạo 138 huyện Châu Thành A"))
            let created = try await chair.post("/plans", [("number", "7/KH-BCĐ138"), ("title", "Phòng chống bạo lực học đường"),
                                                          ("issued_on", "02/03/2026"), ("monitor", "CA — Công an huyện Châu Thành A")], csrf: newPlan.csrf)
            #expect(created.status == .seeOther, "\(created.text.prefix(500))")
            let planPath = String(created.location!.prefix { $0 != "?" })
            let planPage = try await chair.get(planPath)
            #expect(planPage.text.contains("7/KH-BCĐ138") && planPage.text.contains("Công an huyện Châu Thành A"))
            let assigned = try await chair.post(planPath + "/tasks", [
                ("title", "Rà soát camera an ninh quanh trường học"), ("lead.form", "agency"), ("lead", "CA — Công an huyện Châu Thành A"),
                ("cooperating", "GDDT"), ("due.kind", "before"), ("due.value", "20/03/2026"),
            ], csrf: planPage.csrf)
            #expect(assigned.status == .seeOther, "\(assigned.text.prefix(800))")

            // The police officer finds it not yet acknowledged, and works it.
            let ca = try await h.signedIn("ca")
            #expect(try await ca.get("/").location == "/tasks")
            let list = try await ca.get("/tasks")
            #expect(list.text.contains("Rà soát camera an ninh quanh trường học") && list.text.contains("trước ngày 20/03/2026"))
            let unacknowledged = list.text.components(separatedBy: "id=\"g-unacknowledged\"")[1].components(separatedBy: "</section>")[0]
            let id = try #require(Self.taskLinks(unacknowledged).first)
            var page = try await ca.get("/tasks/\(id)")
            #expect(page.text.contains("Tiếp nhận") && !page.text.contains("Báo cáo kết quả</summary>"), "only what may be fired now")
            #expect(page.text.contains("20/03/2026 00:00"), "due as dd/mm/yyyy HH:mm")
            for name in ["acknowledge", "start"] {
                page = try await ca.get("/tasks/\(id)")
                let r = try await ca.post("/tasks/\(id)/transitions", [("name", name), ("version", String(page.text.matches(of: /name="version" value="(\d+)"/).first!.1))],
                                          csrf: page.csrf)
                #expect(r.status == .seeOther, "\(name): \(r.text.prefix(300))")
            }
            page = try await ca.get("/tasks/\(id)")
            // Submitting without the required note: the message beside the form, nothing changed.
            let missing = try await ca.post("/tasks/\(id)/transitions", [("name", "submit"), ("note", "  ")], csrf: page.csrf)
            #expect(missing.status == .unprocessableContent && missing.text.contains("Vui lòng nhập nội dung"))
            #expect(missing.text.contains(#"id="err-submit""#))
            #expect(try await store.task(id: UUID(uuidString: id)!, for: h.world.police).state == "in_progress")
            let submitted = try await ca.post("/tasks/\(id)/transitions", [("name", "submit"), ("note", "Đã rà soát 12 trường, lắp thêm 4 camera")],
                                              csrf: page.csrf)
            #expect(submitted.status == .seeOther)

            // The standing office, while it waits: the board with the plan by number, the agency's row opening its tasks, statistics.
            let office = try await h.signedIn("office")
            let board = try await office.get("/board?plan=\(planPath.dropFirst("/plans/".count))")
            #expect(board.text.contains("7/KH-BCĐ138 — Phòng chống bạo lực học đường"))
            #expect(board.text.contains("Số liệu lúc 02/03/2026 09:00"))
            #expect(board.text.contains("/tasks?agency=CA&amp;plan="))
            // The committee sees it in its queue and closes it there.
            let queue = try await chair.get("/queue")
            #expect(queue.text.contains("Rà soát camera an ninh quanh trường học") && queue.text.contains("Đánh giá hoàn thành"))
            let closed = try await chair.post("/tasks/\(id)/transitions", [("name", "close"), ("back", "/queue?msg=done")], csrf: queue.csrf)
            #expect(closed.location == "/queue?msg=done")
            let task = try await store.task(id: UUID(uuidString: id)!, for: h.world.chair)
            #expect(task.state == "closed" && task.onTime == true)
            // The history shows every step.
            let history = try await ca.get("/tasks/\(id)")
            for step in ["Tiếp nhận", "Bắt đầu thực hiện", "Báo cáo kết quả", "Đánh giá hoàn thành", "Đã rà soát 12 trường"] {
                #expect(history.text.contains(step), "\(step)")
            }

            let stats = try await office.get("/stats?period=2026-Q1")
            #expect(stats.status == .ok && stats.text.contains("<svg") && stats.text.contains("Hoàn thành đúng hạn"))
            let csv = try await office.get("/stats.csv?period=2026-Q1")
            #expect(csv.text.hasPrefix("\u{FEFF}Mã đơn vị,Tên đơn vị,Hoàn thành đúng hạn"))
            #expect(csv.text.contains("CA,Công an huyện Châu Thành A,1,0,0,0,0"))
        }
    }

    @Test func whatATaskWaitsOnIsToldOnItsPageAndInTheQueue() async throws {
        try await WebHarness.run { h in
            let (w, store) = (h.world, h.world.store)
            let plan = try await w.plan()
            let late = try await w.task(plan, ["title": .string("Tuyên truyền pháp luật cho học sinh")])
            _ = try await store.transition(taskID: late.id, request: .init(name: "request_extension", params: ["due": .object(["before": .string("2030-12-31")])]),
                                           ifMatch: nil, by: w.police)
            let stuck = try await w.task(plan, ["title": .string("Lắp camera cổng trường")])
            _ = try await store.transition(taskID: stuck.id, request: .init(name: "raise_difficulty", note: "Thiếu kinh phí <b>mua</b> camera"),
                                           ifMatch: nil, by: w.police)
            let ca = try await h.signedIn("ca")
            #expect(try await ca.get("/tasks/\(late.id.lower)").text.contains("Đang đề nghị gia hạn đến trước ngày 31/12/2030"))
            #expect(try await ca.get("/tasks/\(stuck.id.lower)").text.contains("Khó khăn, vướng mắc chưa được trả lời: Thiếu kinh phí &lt;b&gt;mua&lt;/b&gt; camera"))
            let queue = try await h.signedIn("chair").get("/queue")
            #expect(queue.text.contains("Đang đề nghị gia hạn đến trước ngày 31/12/2030"))
            #expect(queue.text.contains("Khó khăn, vướng mắc chưa được trả lời: Thiếu kinh phí &lt;b&gt;mua&lt;/b&gt; camera"))
        }
    }

    @Test func whatPeopleWriteIsShownAsText() async throws {
        try await WebHarness.run { h in
            let chair = try await h.signedIn("chair")
            let form = try await chair.get("/plans/new")
            let created = try await chair.post("/plans", [("number", "<b>9</b>/KH"), ("title", "<script>alert(1)</script>"), ("issued_on", "02/03/2026")],
                                               csrf: form.csrf)
            let page = try await chair.get(String(created.location!.prefix { $0 != "?" }))
            #expect(!page.text.contains("<script>alert(1)</script>") && page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!page.text.contains("<b>9</b>"))
            let list = try await chair.get("/plans")
            #expect(list.text.contains("&lt;script&gt;") && !list.text.contains("<script>alert"))
        }
    }

    @Test func aFormWithAMistakeComesBackBesideItsFieldAndWritesNothing() async throws {
        try await WebHarness.run { h in
            let chair = try await h.signedIn("chair")
            let plan = try await h.world.plan()
            let page = try await chair.get("/plans/\(plan.id.lower)")
            #expect(page.text.contains(#"id="assign""#), "the issuer's committee may assign")
            for (fields, message) in [
                ([("title", ""), ("lead", "CA"), ("due.kind", "before"), ("due.value", "20/03/2026")], "Vui lòng nhập tiêu đề"),
                ([("title", "Việc"), ("lead", "KHONG-CO"), ("due.kind", "before"), ("due.value", "20/03/2026")], "Thông tin chưa hợp lệ"),
                ([("title", "Việc"), ("lead", "CA"), ("due.kind", "before"), ("due.value", "31/02/2026")], "Thông tin chưa hợp lệ"),
                ([("title", "Việc"), ("lead", "CA"), ("due.kind", "working_days"), ("due.value", "many")], "Thông tin chưa hợp lệ"),
            ] as [([(String, String)], String)] {
                let r = try await chair.post("/plans/\(plan.id.lower)/tasks", fields, csrf: page.csrf)
                #expect(r.status == .unprocessableContent && r.text.contains(message), "\(fields): \(r.text.prefix(200))")
                #expect(r.text.contains(#"value="Việc""#) || fields[0].1.isEmpty, "what was typed stays")
            }
            #expect(try await h.world.store.tasks(TaskFilter(), for: h.world.chair, page: Page()).items.isEmpty, "nothing written")
            // In English the engine's own words say what was wrong.
            _ = try await chair.get("/lang/en?back=%2F")
            let en = try await chair.post("/plans/\(plan.id.lower)/tasks", [("title", "Việc"), ("lead", "KHONG-CO")], csrf: page.csrf)
            #expect(en.text.contains("No agency has the code KHONG-CO."))
        }
    }

    @Test func peopleSeeOnlyWhatTheStoreLetsThemSee() async throws {
        try await WebHarness.run { h in
            let task = try await h.world.task(try await h.world.plan())
            let vks = try await h.signedIn("vks")
            #expect(try await vks.get("/tasks/\(task.id.lower)").status == .notFound, "another agency's task does not exist for them")
            #expect(try await vks.get("/tasks/not-a-uuid").status == .notFound)
            #expect(try await vks.get("/plans/\(task.planID.lower)").status == .notFound)
            let ca = try await h.signedIn("ca")
            let page = try await ca.get("/tasks/\(task.id.lower)")
            #expect(page.status == .ok && !page.text.contains("Đánh giá hoàn thành"), "an officer never sees the committee's buttons")
            // A forged post for a transition the officer may not fire is refused by the engine.
            let forged = try await ca.post("/tasks/\(task.id.lower)/transitions", [("name", "cancel"), ("note", "x")], csrf: page.csrf)
            #expect(forged.status == .forbidden)
            #expect(try await ca.get("/admin/agencies").status == .forbidden)
            #expect(try await ca.get("/plans/new").status == .forbidden)
        }
    }

    @Test func importShowsAPreviewBeforeWritingAnything() async throws {
        try await WebHarness.run { h in
            let chair = try await h.signedIn("chair")
            let page = try await chair.get("/plans/import")
            let yaml = """
                number: 12/KH-BCĐ138
                title: Kế hoạch thử
                issued_on: 2026-03-02
                issuer: BCD
                tasks:
                  - {key: schools, title: Các trường xây dựng kế hoạch, lead: {each_of_kind: school}, due: {before: 2026-03-20}}
                  - {key: police, title: Công an rà soát địa bàn, lead: CA, due: {working_days: 5}}
                """
            let boundary = "XyZ123"
            func multipart(_ action: String, _ text: String) -> Data {
                Data(("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(page.csrf!)\r\n"
                      + "--\(boundary)\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\n\(action)\r\n"
                      + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"plan.yaml\"\r\nContent-Type: text/yaml\r\n\r\n\(text)\r\n"
                      + "--\(boundary)--\r\n").utf8)
            }
            let preview = try await chair.post("/plans/import", [], contentType: "multipart/form-data; boundary=\(boundary)", raw: multipart("preview", yaml))
            #expect(preview.status == .ok, "\(preview.text.prefix(500))")
            #expect(preview.text.contains("Chưa có gì được ghi") && preview.text.contains("2 đơn vị") && preview.text.contains("10/03/2026 00:00"))
            #expect(preview.text.contains("Trường THCS Thị trấn Một Ngàn"))
            #expect(try await h.world.store.plans(for: h.world.chair, page: Page()).items.isEmpty, "a preview writes nothing")
            let bad = try await chair.post("/plans/import", [], contentType: "multipart/form-data; boundary=\(boundary)",
                                           raw: multipart("preview", yaml.replacingOccurrences(of: "lead: CA,", with: "lead: NOWHERE,")))
            #expect(bad.status == .unprocessableContent && bad.text.contains("tasks[1].lead") && bad.text.contains("dòng 7"))
            let confirmed = try await chair.post("/plans/import", [("action", "confirm"), ("document", yaml)], csrf: page.csrf)
            #expect(confirmed.status == .seeOther)
            #expect(try await h.world.store.plans(for: h.world.chair, page: Page()).items.map(\.number) == ["12/KH-BCĐ138"])
        }
    }

    @Test func theAdministratorManagesAgenciesAndUsers() async throws {
        try await WebHarness.run { h in
            let root = try await h.signedIn("root")
            let page = try await root.get("/admin/agencies?parent=GDDT")
            #expect(page.text.contains("Trường THCS Tân Hòa"))
            let twin = try await root.post("/admin/agencies", [("code", "THCS9"), ("name", "Trường THCS Tân Hoà"), ("kind", "school"), ("parent", "GDDT")],
                                           csrf: page.csrf)
            #expect(twin.text.contains("đã có đơn vị cùng tên") && twin.text.contains("THCS2"), "a warning, and the agency is added")
            let users = try await root.get("/admin/users")
            let added = try await root.post("/admin/users", [("login", "hieutruong"), ("agency", "THCS9"), ("roles", "officer"), ("password", "một-mật-khẩu-dài")],
                                            csrf: users.csrf)
            #expect(added.status == .ok && added.text.contains("hieutruong"))
            let principal = h.browser()
            #expect(try await principal.signIn("hieutruong", password: "một-mật-khẩu-dài").status == .seeOther)
            let token = try await root.post("/admin/users/hieutruong", [("action", "token")], csrf: users.csrf)
            let shown = try #require(token.text.matches(of: /<code>([A-Za-z0-9]{40})<\/code>/).first.map { String($0.1) })
            #expect(try await h.world.store.authenticate(token: shown)?.login == "hieutruong")
            let short = try await root.post("/admin/users/hieutruong", [("action", "password"), ("password", "ngắn")], csrf: users.csrf)
            #expect(short.status == .unprocessableContent)
            let roles = try await root.post("/admin/users/hieutruong", [("action", "roles"), ("roles", "officer"), ("roles", "coordinator")], csrf: users.csrf)
            #expect(roles.status == .ok && roles.text.contains("Cán bộ, Thường trực"), "\(roles.text.prefix(300))")
            #expect(try await root.post("/admin/users/hieutruong", [("action", "roles")], csrf: users.csrf).status == .unprocessableContent,
                    "at least one role")
        }
    }

    @Test func aLargeBoardComesAPageAtATimeWithTotalsOverAll() async throws {
        try await WebHarness.run { h in
            let store = h.world.store
            for i in 1...130 { _ = try await store.addAgency(code: "TH\(i)", name: "Trường Tiểu học số \(i)", kind: "primary_school", parent: "GDDT") }
            let plan = try await h.world.plan(tasks: [.object(["key": .string("k"), "title": .string("Báo cáo"), "lead": .object(["each_of_kind": .string("primary_school")]),
                                                               "due": .object(["before": .string("2030-01-01")])])])
            // One school with more open work: first on the board, in its place by code.
            _ = try await h.world.task(plan, ["lead": .string("TH50"), "cooperating": .array([])])
            let office = try await h.signedIn("office")
            let first = try await office.get("/board?plan=\(plan.id.lower)&sort=code")
            #expect(first.text.matches(of: /<tr><th scope="row" class="pin">/).count == 101, "100 rows and the totals")
            #expect(first.text.contains("Đơn vị 1–100 trong 130") && first.text.contains("page=2"))
            let codes = first.text.matches(of: /<tr><th scope="row" class="pin"><a [^>]*>Trường Tiểu học số (\d+)</).map { String($0.1) }
            #expect(codes.prefix(4) == ["1", "10", "100", "101"], "by code, in byte order: \(codes.prefix(4))")
            let worst = try await office.get("/board?plan=\(plan.id.lower)&sort=overdue").text
            #expect(worst.matches(of: /<tr><th scope="row" class="pin"><a [^>]*>Trường Tiểu học số (\d+)</).first.map { String($0.1) } == "50",
                    "worst first: the school with two open tasks")
            #expect(first.text.contains(#"<tfoot><tr><th scope="row" class="pin">Tổng cộng</th><td class="num">0</td><td class="num">131</td>"#), "totals over every row")
            let second = try await office.get("/board?plan=\(plan.id.lower)&sort=code&page=2")
            #expect(second.text.matches(of: /<tr><th scope="row" class="pin">/).count == 31 && second.text.contains("Đơn vị 101–130 trong 130"))
            #expect(try await office.get("/board?plan=\(plan.id.lower)&page=99").text.contains("Đơn vị 101–130 trong 130"), "past the end: the last page")
        }
    }

    @Test func theBoardsTotalRateFollowsTheRowsRule() async throws {
        try await WebHarness.run { h in
            let (w, store) = (h.world, h.world.store)
            let plan = try await w.plan()
            // One closed before its deadline, one without a deadline (neither on time nor late), one still open.
            for due in [JSONValue.object(["before": .string("2030-11-15")]), .null] {
                let task = try await w.task(plan, ["due": due])
                for (name, note, who) in [("acknowledge", nil, w.police), ("start", nil, w.police), ("submit", "Xong", w.police), ("close", nil, w.chair)] {
                    _ = try await store.transition(taskID: task.id, request: .init(name: name, note: note), ifMatch: nil, by: who)
                }
            }
            _ = try await w.task(plan)
            let board = try await h.signedIn("office").get("/board?plan=\(plan.id.lower)")
            // The rate counts only tasks closed on time or late, in the row and in the total.
            #expect(board.text.contains(#"Thành A</a></th><td class="num">0</td><td class="num">1</td><td class="num">1</td><td class="num">0</td><td class="num">2</td><td class="num">100%</td></tr>"#))
            #expect(board.text.contains(#"<td class="num">2</td><td class="num">100%</td></tr></tfoot>"#))
        }
    }

    @Test func aPlansOwnTextIsDraftedIntoAnEditableDocumentBeforeAnyPreview() async throws {
        try await WebHarness.run { h in
            let chair = try await h.signedIn("chair")
            let page = try await chair.get("/plans/import")
            let text = """
                Số: 31/KH-BCĐ138

                Châu Thành A, ngày 04 tháng 11 năm 2025

                KẾ HOẠCH

                Bảo đảm an toàn trường học

                I. PHÂN CÔNG NHIỆM VỤ

                1. Công an huyện

                - Chủ trì, phối hợp với Viện Kiểm sát nhân dân huyện kiểm tra an ninh quanh trường học trước ngày 15/12/2025.

                2. Phòng Nội vụ huyện

                - Rà soát biên chế.
                """
            let boundary = "b0undary"
            let body = Data(("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(page.csrf!)\r\n"
                             + "--\(boundary)\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\npreview\r\n"
                             + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ke-hoach.txt\"\r\nContent-Type: text/plain\r\n\r\n\(text)\r\n"
                             + "--\(boundary)--\r\n").utf8)
            let drafted = try await chair.post("/plans/import", [], contentType: "multipart/form-data; boundary=\(boundary)", raw: body)
            #expect(drafted.status == .ok, "\(drafted.text.prefix(400))")
            #expect(drafted.text.contains("Bản dự thảo từ văn bản") && drafted.text.contains("Những chỗ cần xem lại"))
            #expect(drafted.text.contains("31/KH-BCĐ138") && drafted.text.contains("lead: CA"), "the draft, editable")
            #expect(drafted.text.contains("Tên đơn vị không có trong danh mục đơn vị") && drafted.text.contains("Phòng Nội vụ"),
                    "the agency it could not match is listed for review, in Vietnamese")
            #expect(try await h.world.store.plans(for: h.world.chair, page: Page()).items.isEmpty, "nothing written")
            // The reviewed text goes on to the preview like any plan document.
            let yaml = String(drafted.text.matches(of: /<textarea id="document" name="document"[^>]*>([^<]*)<\/textarea>/).first!.1)
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&lt;", with: "<")
                .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
            let preview = try await chair.post("/plans/import", [("action", "preview"), ("document", yaml)], csrf: page.csrf)
            #expect(preview.status == .ok && preview.text.contains("Chưa có gì được ghi"), "\(preview.text.prefix(600))")
        }
    }
}

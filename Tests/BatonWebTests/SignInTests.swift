import BatonCore
import BatonStore
import Foundation
import HTTPTypes
import Testing

/// Sign-in, sessions, CSRF and the limits on guessing, through the pages.
@Suite struct SignInTests {
    @Test func signInGoesToThePageAskedForAndOutEndsTheSession() async throws {
        try await WebHarness.run { h in
            let b = h.browser()
            let asked = try await b.get("/board?plan=x")
            #expect(asked.status == .seeOther && asked.location == "/login?from=%2Fboard%3Fplan%3Dx")
            let form = try await b.get(asked.location!)
            #expect(form.status == .ok && form.text.contains(#"name="password""#) && form.text.contains(#"<html lang="vi">"#))
            #expect(form.headers[.setCookie]?.contains("HttpOnly") == true && form.headers[.setCookie]?.contains("SameSite=Lax") == true)
            let r = try await b.post("/login", [("login", "office"), ("password", WebHarness.password), ("from", "/board?plan=x")], csrf: form.csrf)
            #expect(r.status == .seeOther && r.location == "/board?plan=x")
            #expect(b.cookies["baton_session"]?.count == 40)
            // A session cookie is HttpOnly and SameSite=Lax; Secure behind a proxy that says TLS (checked in the page code).
            let home = try await b.get("/")
            #expect(home.location == "/plans", "a coordinator starts at the plans")
            let board = try await b.get("/board")
            #expect(board.status == .ok && board.text.contains("Bảng theo dõi"), "\(board.status) \(board.location ?? "") \(board.text.prefix(400))")
            #expect(board.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("frame-ancestors 'none'") == true)
            #expect(board.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            let out = try await b.post("/logout", [], csrf: board.csrf)
            #expect(out.status == .seeOther && out.location == "/login?msg=signed_out")
            #expect(try await b.get("/board").status == .seeOther, "signed out")
        }
    }

    @Test func wrongPasswordsAreToldAlikeSlowedAndThenRefused() async throws {
        try await WebHarness.run { h in
            let b = h.browser()
            let unknown = try await b.signIn("nobody", password: "whatever-1")
            let wrong = try await b.signIn("chair", password: "not-the-password")
            #expect(unknown.status == .unauthorized && wrong.status == .unauthorized)
            #expect(wrong.text.contains("Tên đăng nhập hoặc mật khẩu không đúng."))
            #expect(unknown.text.contains("Tên đăng nhập hoặc mật khẩu không đúng."), "an unknown login reads as a wrong password")
            #expect(wrong.text.contains(#"value="chair""#), "the login stays in the form")
            _ = try await b.signIn("chair", password: "still-wrong")
            _ = try await b.signIn("chair", password: "wrong-again")
            // The fourth attempt within the window is refused even with the right password.
            let refused = try await b.signIn("chair")
            #expect(refused.status == .tooManyRequests && refused.text.contains("thử lại sau"))
            // Other logins are not held back by chair's failures.
            #expect(try await b.signIn("office").status == .seeOther)
        }
    }

    @Test func formsWithoutTheSessionsTokenAreRefused() async throws {
        try await WebHarness.run { h in
            let b = try await h.signedIn("chair")
            let before = try await h.world.store.plans(for: h.world.chair, page: Page()).items.count
            let forged = try await b.post("/plans", [("number", "1/KH"), ("title", "Kế hoạch"), ("issued_on", "01/03/2026")], csrf: "forged")
            let missing = try await b.post("/plans", [("number", "1/KH"), ("title", "Kế hoạch"), ("issued_on", "01/03/2026")])
            #expect(forged.status == .forbidden && missing.status == .forbidden)
            #expect(forged.text.contains("Biểu mẫu không hợp lệ"))
            #expect(try await h.world.store.plans(for: h.world.chair, page: Page()).items.count == before, "nothing written")
            // The sign-in form itself carries a token bound to the visitor's cookie.
            let stranger = h.browser()
            #expect(try await stranger.post("/login", [("login", "chair"), ("password", WebHarness.password)], csrf: "x").status == .forbidden)
        }
    }

    @Test func anEndedOrUnknownSessionReturnsToSignIn() async throws {
        try await WebHarness.run { h in
            let b = try await h.signedIn("ca")
            let first = try await b.get("/tasks")
            #expect(first.status == .ok, "\(first.status) \(first.location ?? "") \(first.text.prefix(400))")
            // The administrator resets the password: every open session of that person ends.
            try await h.world.store.setPassword(login: "ca", password: "một-mật-khẩu-mới", policy: WebHarness.fast)
            let after = try await b.get("/tasks")
            #expect(after.status == .seeOther && after.location == "/login?from=%2Ftasks&expired=1")
            let again = try await b.get(after.location!)
            #expect(again.text.contains("Phiên làm việc đã hết hạn"))
            b.cookies["baton_session"] = String(repeating: "A", count: 40)
            #expect(try await b.get("/tasks").location == "/login?from=%2Ftasks&expired=1")
        }
    }

    @Test func concurrentGuessesCannotPassTheBound() async throws {
        try await WebHarness.run { h in
            let store = h.world.store, policy = WebHarness.fast
            let outcomes = try await withThrowingTaskGroup(of: SignInOutcome.self) { group in
                for i in 0..<12 {
                    group.addTask { try await store.signIn(login: "chair", password: "wrong-\(i)", address: "198.51.100.\(i)", policy: policy) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let refused = outcomes.filter { if case .refused = $0 { true } else { false } }.count
            #expect(refused == policy.failuresPerLogin, "\(refused) wrong passwords checked, bound \(policy.failuresPerLogin)")
        }
    }

    @Test func theSweepForgetsSessionsAndFailuresADayAfterTheyStopCounting() async throws {
        try await WebHarness.run { h in
            let store = h.world.store
            try await store.setClock(fixedAt: RFC3339.parse("2026-03-02T08:00:00+07:00")!, offset: nil)
            _ = try await h.signedIn("gd")
            _ = try await store.signIn(login: "ca", password: "wrong", address: "198.51.100.7", policy: WebHarness.fast)
            func rows() async throws -> [Int] {
                try await store.pool.withConnection { conn in
                    try ["sessions", "signin_failures"].map { table in
                        try conn.query(table == "sessions" ? "SELECT count(*)::int AS n FROM sessions" : "SELECT count(*)::int AS n FROM signin_failures")[0]
                            .decode(Int.self, "n")
                    }
                }
            }
            _ = try await store.sweep()
            #expect(try await rows() == [1, 1], "the same day: kept")
            try await store.setClock(fixedAt: RFC3339.parse("2026-03-03T08:01:00+07:00")!, offset: nil)
            _ = try await store.sweep()
            #expect(try await rows() == [1, 0], "a failure a day old is forgotten; the session idle since 08:00 ended at 08:30, less than a day ago")
            try await store.setClock(fixedAt: RFC3339.parse("2026-03-03T08:31:00+07:00")!, offset: nil)
            _ = try await store.sweep()
            #expect(try await rows() == [0, 0])
        }
    }

    @Test func sessionsEndWhenIdle() async throws {
        try await WebHarness.run { h in
            let store = h.world.store
            try await store.setClock(fixedAt: RFC3339.parse("2026-03-02T08:00:00+07:00")!, offset: nil)
            let b = try await h.signedIn("gd")
            try await store.setClock(fixedAt: RFC3339.parse("2026-03-02T08:29:00+07:00")!, offset: nil)
            let used = try await b.get("/tasks")
            #expect(used.status == .ok, "used within 30 minutes: still open; \(used.status) \(used.location ?? "") \(used.text.prefix(300))")
            try await store.setClock(fixedAt: RFC3339.parse("2026-03-02T09:00:00+07:00")!, offset: nil)
            #expect(try await b.get("/tasks").status == .seeOther, "idle 31 minutes: ended")
        }
    }

    @Test func theLanguageIsTheVisitorsChoice() async throws {
        try await WebHarness.run { h in
            let b = try await h.signedIn("ca")
            #expect(try await b.get("/tasks").text.contains("Việc của đơn vị"))
            let switched = try await b.get("/lang/en?back=%2Ftasks")
            #expect(switched.location == "/tasks")
            let english = try await b.get("/tasks")
            #expect(english.text.contains("Our tasks") && english.text.contains(#"<html lang="en">"#))
            #expect(try await b.get("/lang/en?back=https%3A%2F%2Fevil.example").location == "/", "never back to another site")
        }
    }
}

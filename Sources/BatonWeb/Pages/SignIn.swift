import BatonCore
import BatonStore
import Foundation
import Hummingbird

/// Sign-in, sign-out, and the home page that sends each person to where their work is.
extension WebPages {
    func signInPage(_ call: PageCall) async throws -> PageResponse {
        if call.session != nil { return .redirect(Self.localPath(call.query("from")) ?? "/") }
        return try signInForm(call, login: "", error: nil, notice: call.query("expired") != nil ? call.t.text("signin.expired") : nil)
    }

    /// The form, with a fresh CSRF cookie for the visitor who has no session yet.
    private func signInForm(_ call: PageCall, login: String, error: String?, notice: String?, status: HTTPResponse.Status = .ok) throws -> PageResponse {
        let csrf = call.request.cookies[Self.csrfCookie]?.value ?? BatonStore.newFormToken()
        let cookie = Cookie(name: Self.csrfCookie, value: csrf, path: "/", secure: Self.secure(call.request), httpOnly: true, sameSite: .lax)
        let html = try renderer.page("signin", ["login": login, "error": error as Any, "notice": notice as Any, "csrf": csrf,
                                                "from": Self.localPath(call.form["from"] ?? call.query("from")) ?? ""],
                                     chrome: call.chrome(title: call.t.text("signin.title")))
        return .html(html, status: status, cookies: [cookie])
    }

    func signIn(_ call: PageCall) async throws -> PageResponse {
        let login = call.form["login"] ?? ""
        guard !login.isEmpty, let password = call.form.raw("password"), !password.isEmpty else {
            return try signInForm(call, login: login, error: call.t.text("signin.required"), notice: nil, status: .unprocessableContent)
        }
        switch try await store.signIn(login: login, password: password, address: call.address, policy: policy) {
        case .signedIn(let token, _):
            let cookie = Cookie(name: Self.sessionCookie, value: token, path: "/", secure: Self.secure(call.request), httpOnly: true, sameSite: .lax)
            return .redirect(Self.localPath(call.form["from"]) ?? "/", cookies: [cookie])
        case .refused(let failures):
            // Each failure in a row answers a little later: guessing gets slow before it is refused.
            try await Task.sleep(for: .milliseconds(min(failures, 5) * 200))
            return try signInForm(call, login: login, error: call.t.text("signin.wrong"), notice: nil, status: .unauthorized)
        case .throttled(let seconds):
            return try signInForm(call, login: login, error: call.t.text("signin.throttled", ["minutes": String((seconds + 59) / 60)]),
                                  notice: nil, status: .tooManyRequests)
        }
    }

    func signOut(_ call: PageCall) async throws -> PageResponse {
        if let token = call.request.cookies[Self.sessionCookie]?.value { try await store.endSession(token: token) }
        let gone = Cookie(name: Self.sessionCookie, value: "", maxAge: 0, path: "/", secure: Self.secure(call.request), httpOnly: true, sameSite: .lax)
        return .redirect("/login?msg=signed_out", cookies: [gone])
    }

    /// `/`: the first page of the person's menu.
    func home(_ call: PageCall) async throws -> PageResponse {
        .redirect(PageCall.menu(for: call.who).first?.href ?? "/plans")
    }
}

import BatonCore
import BatonStore
import Foundation
import HTTPTypes
import Hummingbird

/// The administrator's pages: the agency tree (add, rename, deactivate, merge), users (add, roles by
/// creation, reset a password) and access tokens for integrations.
extension WebPages {
    private func requireAdmin(_ call: PageCall) throws {
        guard call.who.isAdmin else { throw BatonError(.forbidden, "only an administrator manages agencies and users") }
    }

    /// `/admin/agencies?parent=CODE&q=`: one level of the tree (the roots by default) or a search.
    func agenciesPage(_ call: PageCall, notice: String? = nil, error: (field: String, message: String)? = nil,
                      values: [String: String] = [:], status: HTTPResponse.Status = .ok) async throws -> PageResponse {
        try requireAdmin(call)
        let t = call.t
        let parent = call.query("parent")
        let q = call.query("q")
        var items = try await store.agencies(kind: nil, parent: q == nil ? parent : nil, query: q, page: Page(limit: Page.maxLimit)).items
        if q == nil && parent == nil { items = items.filter { $0.parent == nil } }
        var trail: [[String: Any]] = []
        var cursor = parent
        while let code = cursor, trail.count < 20, let a = try await store.agency(code: code) {
            trail.insert(["code": a.code, "name": a.name, "href": "/admin/agencies?parent=\(a.code)"], at: 0)
            cursor = a.parent
        }
        return try call.render("admin_agencies", title: t.text("admin.agencies"), [
            "trail": trail, "q": q ?? "", "parent": parent ?? "", "notice": notice as Any,
            "error": error?.message as Any, "values": values,
            "agencies": items.map { a in
                ["code": a.code, "name": a.name, "kind": a.kind, "active": a.active, "href": "/admin/agencies?parent=\(a.code)"] as [String: Any]
            },
        ], status: status)
    }

    /// POST `/admin/agencies`: adds an agency (warning when one of the same name is under the same parent).
    func addAgency(_ call: PageCall) async throws -> PageResponse {
        try requireAdmin(call)
        let f = call.form
        let values = ["code": f.raw("code") ?? "", "name": f.raw("name") ?? "", "kind": f.raw("kind") ?? "", "parent": f.raw("parent") ?? ""]
        do {
            let parent = f["parent"].map(AgencyInput.code)
            let twin = try await store.sameNamedAgency(name: f["name"] ?? "", parent: parent)
            let added = try await store.addAgency(code: f["code"] ?? "", name: f["name"] ?? "", kind: f["kind"] ?? "", parent: parent)
            let notice = twin.map { call.t.text("admin.same_name_warning", ["code": $0]) } ?? call.t.text("common.saved")
            return try await agenciesPage(call, notice: notice + " (\(added.code))")
        } catch let error as BatonError where [.validationFailed, .conflict].contains(error.code) {
            return try await agenciesPage(call, error: (error.field ?? "code", call.message(for: error)), values: values, status: .unprocessableContent)
        }
    }

    /// POST `/admin/agencies/{code}`: `action=rename` (name), `deactivate`, or `merge` (into).
    func changeAgency(_ call: PageCall) async throws -> PageResponse {
        try requireAdmin(call)
        let code = call.parameter("code")
        do {
            switch call.form["action"] {
            case "rename": _ = try await store.renameAgency(code: code, name: call.form["name"] ?? "")
            case "deactivate": try await store.deactivateAgency(code: code)
            case "merge": _ = try await store.mergeAgency(code, into: AgencyInput.code(call.form["into"] ?? ""))
            default: throw BatonError.invalid("action", "is one of rename, deactivate, merge")
            }
        } catch let error as BatonError where [.validationFailed, .conflict, .notFound].contains(error.code) {
            return try await agenciesPage(call, error: (error.field ?? "action", call.message(for: error)), status: .unprocessableContent)
        }
        return .redirect(Self.localPath(call.form["back"]) ?? "/admin/agencies", msg: "saved")
    }

    /// `/admin/users`.
    func usersPage(_ call: PageCall, notice: String? = nil, token: String? = nil, error: (field: String, message: String)? = nil,
                   values: [String: String] = [:], status: HTTPResponse.Status = .ok) async throws -> PageResponse {
        try requireAdmin(call)
        let t = call.t
        let users = try await store.users(page: Page(limit: Page.maxLimit)).items
        return try call.render("admin_users", title: t.text("admin.users"), [
            "users": users.map { u in
                ["login": u.login, "agency": u.agencyName ?? u.agency ?? "", "roles": u.roles.map { t.text("roles.\($0)") }.joined(separator: ", "),
                 "role_choices": Actor.UserRole.allCases.map { r in
                     ["value": r.rawValue, "label": t.text("roles.\(r.rawValue)"), "checked": u.roles.contains(r.rawValue)] as [String: Any]
                 }] as [String: Any]
            },
            "roles": Actor.UserRole.allCases.map { r in ["value": r.rawValue, "label": t.text("roles.\(r.rawValue)"),
                                                         "checked": (values["roles"] ?? "").split(separator: ",").contains(Substring(r.rawValue))] as [String: Any] },
            "notice": notice as Any, "token": token as Any, "error": error?.message as Any, "values": values,
        ], status: status)
    }

    /// POST `/admin/users`: adds a user with roles and a first password.
    func addUser(_ call: PageCall) async throws -> PageResponse {
        try requireAdmin(call)
        let f = call.form
        let roles = f.all("roles")
        let values = ["login": f.raw("login") ?? "", "agency": f.raw("agency") ?? "", "roles": roles.joined(separator: ",")]
        do {
            if let password = f.raw("password"), !password.isEmpty { try BatonStore.checkPassword(password) }
            let user = try await store.addUser(login: f["login"] ?? "", agency: f["agency"].map(AgencyInput.code), roles: roles)
            if let password = f.raw("password"), !password.isEmpty { try await store.setPassword(login: user.login, password: password, policy: policy) }
            return try await usersPage(call, notice: call.t.text("common.saved") + " (\(user.login))")
        } catch let error as BatonError where [.validationFailed, .conflict].contains(error.code) {
            return try await usersPage(call, error: (error.field ?? "login", call.message(for: error)), values: values, status: .unprocessableContent)
        }
    }

    /// POST `/admin/users/{login}`: `action=password` (a new password) or `token` (shown once).
    func changeUser(_ call: PageCall) async throws -> PageResponse {
        try requireAdmin(call)
        let login = call.parameter("login")
        do {
            switch call.form["action"] {
            case "password":
                try await store.setPassword(login: login, password: call.form.raw("password") ?? "", policy: policy)
                return try await usersPage(call, notice: call.t.text("common.saved") + " (\(login))")
            case "roles":
                let user = try await store.setRoles(login: login, roles: call.form.all("roles"))
                return try await usersPage(call, notice: call.t.text("common.saved") + " (\(user.login))")
            case "token":
                let token = try await store.issueToken(login: login, label: call.form["label"] ?? "web")
                return try await usersPage(call, notice: call.t.text("admin.token_shown_once"), token: token)
            default:
                throw BatonError.invalid("action", "is password or token")
            }
        } catch let error as BatonError where [.validationFailed, .notFound].contains(error.code) {
            return try await usersPage(call, error: (error.field ?? "password", call.message(for: error)), status: .unprocessableContent)
        }
    }
}

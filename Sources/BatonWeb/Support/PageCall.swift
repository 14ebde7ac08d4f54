import BatonCore
import BatonStore
import Foundation
import HTTPTypes
import Hummingbird

/// What a page answers: HTML, a redirect after a post, a download, or a stream.
enum PageResponse: Sendable {
    case html(String, status: HTTPResponse.Status, cookies: [Cookie])
    case redirect(String, cookies: [Cookie] = [])
    case download(Data, contentType: String, filename: String)
    case stream(ResponseBody, contentType: String)

    static func redirect(_ to: String) -> PageResponse { .redirect(to, cookies: []) }

    /// A redirect whose page shows the notice `msg`; the path may already have a query or a `#fragment`.
    static func redirect(_ to: String, msg: String) -> PageResponse {
        let cut = to.firstIndex(of: "#") ?? to.endIndex
        let path = String(to[..<cut])
        return .redirect(path + (path.contains("?") ? "&" : "?") + "msg=" + msg + String(to[cut...]), cookies: [])
    }

    /// Headers on every page: no framing, no sniffing, no referrer to other sites, scripts and
    /// styles only from Baton itself.
    static let securityHeaders: HTTPFields = {
        var h = HTTPFields()
        h[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        h[.xContentTypeOptions] = "nosniff"
        h[.referrerPolicy] = "same-origin"
        h[.xFrameOptions] = "DENY"
        return h
    }()

    func response(secure: Bool) -> Response {
        var headers = Self.securityHeaders
        switch self {
        case .html(let html, let status, let cookies):
            headers[.contentType] = "text/html; charset=utf-8"
            headers[.cacheControl] = "no-store"
            var r = Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
            for c in cookies { r.setCookie(c) }
            return r
        case .redirect(let to, let cookies):
            headers[.location] = to
            var r = Response(status: .seeOther, headers: headers)
            for c in cookies { r.setCookie(c) }
            return r
        case .download(let data, let type, let filename):
            headers[.contentType] = type
            headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        case .stream(let body, let type):
            headers[.contentType] = type
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: body)
        }
    }
}

/// One request to a page: who asks, in which language, with which form; and how to answer.
struct PageCall: @unchecked Sendable {
    let web: WebPages
    let request: Request
    let context: Parameters
    let session: Session?
    /// The labels in the visitor's language.
    let t: Catalogue
    let form: Form
    let address: String

    /// The signed-in person (every page but sign-in has one).
    var who: Principal { session!.principal }
    var store: BatonStore { web.store }

    /// A path parameter.
    func parameter(_ name: String) -> String { context.get(name) ?? "" }

    /// A query parameter, trimmed; nil when absent or blank.
    func query(_ name: String) -> String? {
        guard let v = request.uri.queryParameters.get(name)?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
        return v
    }

    /// The id in the path, or not-found.
    func id(_ name: String = "id") throws -> UUID {
        guard let id = UUID(uuidString: parameter(name)) else { throw BatonError.notFound("page") }
        return id
    }

    /// Renders `template` inside the layout.
    func render(_ template: String, title: String, _ model: [String: Any] = [:], status: HTTPResponse.Status = .ok,
                cookies: [Cookie] = []) throws -> PageResponse {
        .html(try web.renderer.page(template, model, chrome: chrome(title: title)), status: status, cookies: cookies)
    }

    /// A page that only says `text`.
    func message(_ text: String, status: HTTPResponse.Status) throws -> PageResponse {
        try render("message", title: text, ["message": text], status: status)
    }

    /// What the layout shows around every page: language, labels, the person, the menu.
    func chrome(title: String) -> [String: Any] {
        let here = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        var chrome: [String: Any] = [
            "lang": t.language, "t": web.renderer.tree(t.language), "title": title,
            "other_lang_href": "/lang/\(t.text("other_language"))?back=" + (here.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"),
            "csrf": session?.csrf ?? request.cookies[WebPages.csrfCookie]?.value ?? "",
        ]
        if let flash = query("msg").flatMap({ ["saved", "done", "created", "task_added", "signed_out"].contains($0) ? $0 : nil }) {
            chrome["flash"] = flash == "created" || flash == "task_added" ? t.text("plans.\(flash)") : flash == "signed_out" ? t.text("signin.signed_out") : t.text("common.\(flash)")
        }
        if let session {
            let p = session.principal
            chrome["user"] = ["login": p.login, "agency": p.agencyName ?? p.agency ?? "", "roles": p.roles.map { t.text("roles.\($0.rawValue)") }.sorted().joined(separator: ", ")]
            chrome["nav"] = Self.menu(for: p).map { item in
                ["href": item.href, "label": t.text("nav.\(item.key)"), "current": request.uri.path == item.href || request.uri.path.hasPrefix(item.href + "/")]
            }
        }
        return chrome
    }

    /// The menu for a person's roles, in the order people work.
    static func menu(for p: Principal) -> [(key: String, href: String)] {
        var items: [(String, String)] = []
        if p.agency != nil && (p.has(.officer) || p.has(.viewer)) { items += [("tasks", "/tasks"), ("notifications", "/notifications")] }
        if p.has(.committee) { items.append(("queue", "/queue")) }
        if p.has(.committee) || p.has(.coordinator) || p.isAdmin { items.append(("plans", "/plans")) }
        if p.has(.coordinator) || p.has(.committee) || p.isAdmin { items += [("board", "/board"), ("stats", "/stats")] }
        if p.isAdmin { items.append(("admin", "/admin/agencies")) }
        if items.isEmpty { items.append(("plans", "/plans")) }
        return items.map { (key: $0.0, href: $0.1) }
    }

    /// An error told in the visitor's language: the catalogue's sentence for its code; in English, the
    /// engine's own detail, which names what was wrong.
    func message(for error: BatonError) -> String {
        if t.language == "en" { return error.detail.prefix(1).uppercased() + error.detail.dropFirst() + "." }
        if error.code == .validationFailed, error.detail.hasPrefix("is required") || error.detail.hasPrefix("a note is required")
            || error.detail == "must not be empty" {
            return t.text("errors.required", ["field": fieldLabel(error.field)])
        }
        return t.text("errors.\(error.code)")
    }

    /// The label of a form field named by an error's field path.
    func fieldLabel(_ field: String?) -> String {
        let f = field ?? ""
        let key = ["note": "common.note", "params.to": "task.handoff_to", "params.due": "task.new_due", "title": "common.title",
                   "lead": "common.lead", "due": "common.due", "number": "plans.number", "issued_on": "plans.issued_on",
                   "password": "signin.password", "login": "signin.login", "value": "task.indicator_value", "period": "task.period"]
            .first { f == $0.key || f.hasPrefix($0.key + ".") || f.hasPrefix($0.key + "[") }?.value
        return (key.map { t.text($0) } ?? f).lowercased()
    }

    /// The form field an error belongs to: the first part of its path that a form has.
    static func formField(_ field: String?) -> String {
        guard let field else { return "" }
        for prefix in ["params.due", "params.to", "params.reference", "cooperating", "lead", "due", "note", "title", "description"] where field == prefix || field.hasPrefix(prefix + ".") || field.hasPrefix(prefix + "[") {
            return prefix
        }
        return field
    }
}

extension Renderer {
    /// The labels of `language` as nested dictionaries for templates.
    func tree(_ language: String) -> [String: Any] { trees[language] ?? trees["vi"] ?? [:] }
}

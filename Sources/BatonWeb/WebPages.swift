import BatonCore
import BatonStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// What a request context must offer the pages.
public protocol PageRequestContext: RequestContext {
    /// The client's address, for limiting failed sign-ins.
    var clientAddress: String { get }
}

/// The pages people use, over the same store calls as the REST API: the store decides who may see
/// and do what; a page decides only the layout.
public struct WebPages: Sendable {
    let store: BatonStore
    let renderer: Renderer
    let policy: SessionPolicy
    let logger: Logger
    let live: LiveUpdates

    static let sessionCookie = "baton_session"
    static let csrfCookie = "baton_csrf"
    static let languageCookie = "baton_lang"

    /// - Parameters:
    ///   - policy: how long sessions last and how failed sign-ins are bounded.
    public init(store: BatonStore, policy: SessionPolicy = SessionPolicy(), logger: Logger = Logger(label: "baton.web")) throws {
        self.store = store
        self.renderer = try Renderer.bundled()
        self.policy = policy
        self.logger = logger
        self.live = LiveUpdates(store: store)
    }

    /// Adds every page to `router`.
    public func addRoutes<Context: PageRequestContext>(to router: Router<Context>) {
        router.get("assets/:file") { _, context in try self.asset(context.parameters.get("file") ?? "") }
        router.get("lang/:code") { request, context in self.switchLanguage(request, to: context.parameters.get("code") ?? "vi") }
        on(router, .get, "login", signedIn: false) { try await self.signInPage($0) }
        on(router, .post, "login", signedIn: false) { try await self.signIn($0) }
        on(router, .post, "logout") { try await self.signOut($0) }
        on(router, .get, "") { try await self.home($0) }
        on(router, .get, "tasks") { try await self.tasksPage($0) }
        on(router, .get, "tasks/:id") { try await self.taskPage($0) }
        on(router, .post, "tasks/:id/transitions") { try await self.fireTransition($0) }
        on(router, .post, "tasks/:id/comments") { try await self.addComment($0) }
        on(router, .get, "notifications") { try await self.notificationsPage($0) }
        on(router, .post, "notifications/:id/read") { try await self.markRead($0) }
        on(router, .get, "queue") { try await self.queuePage($0) }
        on(router, .get, "plans") { try await self.plansPage($0) }
        on(router, .get, "plans/new") { try await self.newPlanPage($0) }
        on(router, .post, "plans") { try await self.createPlan($0) }
        on(router, .get, "plans/import") { try await self.importPage($0) }
        on(router, .post, "plans/import") { try await self.importPlan($0) }
        on(router, .get, "plans/:id") { try await self.planPage($0) }
        on(router, .post, "plans/:id/tasks") { try await self.addTask($0) }
        on(router, .post, "plans/:id/indicators/:key") { try await self.reportIndicator($0) }
        on(router, .post, "plans/:id/incidents") { try await self.reportIncident($0) }
        on(router, .get, "agencies/search") { try await self.searchAgencies($0) }
        on(router, .get, "board") { try await self.boardPage($0) }
        on(router, .get, "board.csv") { try await self.boardCSV($0) }
        on(router, .get, "board/events") { try await self.boardEvents($0) }
        on(router, .get, "stats") { try await self.statsPage($0) }
        on(router, .get, "stats.csv") { try await self.statsCSV($0) }
        on(router, .get, "admin") { _ in .redirect("/admin/agencies") }
        on(router, .get, "admin/agencies") { try await self.agenciesPage($0) }
        on(router, .post, "admin/agencies") { try await self.addAgency($0) }
        on(router, .post, "admin/agencies/:code") { try await self.changeAgency($0) }
        on(router, .get, "admin/users") { try await self.usersPage($0) }
        on(router, .post, "admin/users") { try await self.addUser($0) }
        on(router, .post, "admin/users/:login") { try await self.changeUser($0) }
    }

    /// Registers a page: reads the session (or sends the visitor to sign in), the language and the form,
    /// checks the form's CSRF token, and turns errors into pages.
    private func on<Context: PageRequestContext>(_ router: Router<Context>, _ method: HTTPRequest.Method, _ path: RouterPath, signedIn: Bool = true,
                                                 _ handler: @escaping @Sendable (PageCall) async throws -> PageResponse) {
        router.on(path, method: method) { request, context -> Response in
            try await self.run(request, context, signedIn: signedIn, handler)
        }
    }

    private func run<Context: PageRequestContext>(_ request: Request, _ context: Context, signedIn: Bool,
                                                  _ handler: @Sendable (PageCall) async throws -> PageResponse) async throws -> Response {
        let language = Self.language(request)
        let t = renderer.catalogue(language)
        var session: Session?
        let token = request.cookies[Self.sessionCookie]?.value
        if let token { session = try await store.session(token: token) }
        if signedIn && session == nil {
            let here = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            let from = request.method == .get ? "from=" + (here.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/") : ""
            let expired = token != nil ? "expired=1" : ""
            let query = [from, expired].filter { !$0.isEmpty }.joined(separator: "&")
            return PageResponse.redirect("/login" + (query.isEmpty ? "" : "?" + query)).response(secure: Self.secure(request))
        }
        var form = Form()
        if request.method == .post {
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            // An unreadable body carries no CSRF token either: it is refused below as a bad form.
            form = (try? Form(body: Data(buffer: body), contentType: request.headers[.contentType])) ?? Form()
            let expected = session?.csrf ?? request.cookies[Self.csrfCookie]?.value
            guard let expected, let given = form.raw("_csrf"), Self.constantTimeEqual(expected, given) else {
                return try PageCall(web: self, request: request, context: context.parameters, session: session, t: t, form: form,
                                    address: context.clientAddress)
                    .message(t.text("common.bad_form"), status: .forbidden).response(secure: Self.secure(request))
            }
        }
        let call = PageCall(web: self, request: request, context: context.parameters, session: session, t: t, form: form, address: context.clientAddress)
        do {
            return try await handler(call).response(secure: Self.secure(request))
        } catch let error as BatonError {
            let status = error.httpStatus
            if status.code >= 500 { logger.error("page \(request.uri.path): \(String(reflecting: error))") }
            let text = status == .notFound ? t.text("common.page_not_found") : call.message(for: error)
            return try call.message(text, status: status).response(secure: Self.secure(request))
        } catch is FormError {
            return try call.message(t.text("common.bad_form"), status: .badRequest).response(secure: Self.secure(request))
        } catch {
            logger.error("page \(request.uri.path): \(String(reflecting: error))")
            return try call.message(t.text("common.server_error"), status: .internalServerError).response(secure: Self.secure(request))
        }
    }

    /// `vi` unless the visitor chose another language.
    static func language(_ request: Request) -> String {
        request.cookies[languageCookie]?.value == "en" ? "en" : "vi"
    }

    /// Cookies are `Secure` when the page was reached over TLS, as a proxy in front says.
    static func secure(_ request: Request) -> Bool {
        request.headers[.xForwardedProto]?.lowercased() == "https"
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }

    /// A path of this site to return to: relative, never another host.
    static func localPath(_ raw: String?) -> String? {
        // No control characters or spaces: a browser drops a tab from "/\t/evil.example" and reads "//evil.example".
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.contains("\\"), raw.count < 2000,
              raw.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }) else { return nil }
        return raw
    }

    private func switchLanguage(_ request: Request, to code: String) -> Response {
        let back = Self.localPath(request.uri.queryParameters.get("back")) ?? "/"
        var response = PageResponse.redirect(back).response(secure: Self.secure(request))
        response.setCookie(Cookie(name: Self.languageCookie, value: code == "en" ? "en" : "vi", maxAge: 365 * 86400, path: "/",
                                  secure: Self.secure(request), httpOnly: true, sameSite: .lax))
        return response
    }

    private func asset(_ file: String) throws -> Response {
        guard ["app.css", "app.js"].contains(file), let root = Bundle.module.resourcePath,
              let data = FileManager.default.contents(atPath: root + "/Assets/" + file) else {
            throw HTTPError(.notFound)
        }
        var headers = PageResponse.securityHeaders
        headers[.contentType] = file.hasSuffix(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8"
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

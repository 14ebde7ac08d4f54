import BatonCore
import BatonHTTP
import BatonStore
import BatonTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging

/// The application over a fresh database with the World's people, each with a password, and a
/// browser-like client per person that keeps its cookies.
struct WebHarness {
    let client: any TestClientProtocol
    let world: World
    static let password = "mật-khẩu-thử-1"

    static func run(_ body: @escaping @Sendable (WebHarness) async throws -> Void) async throws {
        try await TestCluster.withStore { store in
            let world = try await World.make(store)
            for login in ["chair", "office", "ca", "vks", "gd", "s1", "s2", "root", "watch"] {
                try await store.setPassword(login: login, password: password, policy: fast)
            }
            let app = buildApplication(store: store, host: "127.0.0.1", port: 0, logger: Logger(label: "test"), sessions: fast)
            try await app.test(.router) { client in try await body(WebHarness(client: client, world: world)) }
        }
    }

    /// Cheap bcrypt and small bounds, so tests stay fast and reach the limits.
    static var fast: SessionPolicy {
        var p = SessionPolicy()
        p.bcryptCost = 4
        p.failuresPerLogin = 3
        return p
    }

    struct Reply {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let text: String
        var location: String? { headers[.location] }
        /// The value of the first `name="_csrf"` field of the page.
        var csrf: String? {
            guard let r = text.range(of: #"name="_csrf" value=""#) else { return nil }
            return String(text[r.upperBound...].prefix { $0 != "\"" })
        }
    }

    /// A person's browser: cookies kept across requests.
    final class Browser: @unchecked Sendable {
        let harness: WebHarness
        var cookies: [String: String] = [:]
        var address = "10.0.0.1"
        init(_ h: WebHarness) { harness = h }

        @discardableResult
        func get(_ path: String) async throws -> Reply { try await send(.get, path, body: nil) }

        @discardableResult
        func post(_ path: String, _ fields: [(String, String)], csrf: String? = nil, contentType: String = "application/x-www-form-urlencoded",
                  raw: Data? = nil) async throws -> Reply {
            var all = fields
            if let csrf { all.insert(("_csrf", csrf), at: 0) }
            let body = raw ?? Data(all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&").utf8)
            return try await send(.post, path, body: body, contentType: contentType)
        }

        static func encode(_ s: String) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
        }

        func send(_ method: HTTPRequest.Method, _ path: String, body: Data?, contentType: String? = nil) async throws -> Reply {
            var headers = HTTPFields()
            if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
            if let contentType { headers[.contentType] = contentType }
            let r = try await harness.client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) })
            for field in r.headers where field.name == .setCookie {
                let pair = field.value.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
                if pair.count == 2 { if pair[1].isEmpty { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair[1] } }
            }
            return Reply(status: r.status, headers: r.headers, text: String(buffer: r.body))
        }

        /// Signs in through the form; returns the answer to the form's post.
        @discardableResult
        func signIn(_ login: String, password: String = WebHarness.password, from: String = "") async throws -> Reply {
            let form = try await get("/login" + (from.isEmpty ? "" : "?from=\(Self.encode(from))"))
            return try await post("/login", [("login", login), ("password", password), ("from", from)], csrf: form.csrf)
        }
    }

    func browser() -> Browser { Browser(self) }

    /// A browser already signed in as `login`.
    func signedIn(_ login: String) async throws -> Browser {
        let b = browser()
        let r = try await b.signIn(login)
        guard r.status == .seeOther else { throw HarnessError("sign-in of \(login) answered \(r.status): \(r.text.prefix(300))") }
        return b
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

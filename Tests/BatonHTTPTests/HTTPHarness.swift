import BatonCore
import BatonHTTP
import BatonStore
import BatonTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging

/// A router over a fresh database with the World's people, and a small client for it.
struct HTTPHarness {
    let client: any TestClientProtocol
    let world: World
    let tokens: [String: String]

    /// Runs `body` against the REST service on a fresh database.
    static func run(limits: ServiceLimits = ServiceLimits(), over setup: TestingSetup = .router,
                    _ body: @escaping @Sendable (HTTPHarness) async throws -> Void) async throws {
        try await TestCluster.withStore { store in
            let world = try await World.make(store)
            var tokens: [String: String] = [:]
            for login in ["chair", "office", "ca", "vks", "gd", "s1", "s2", "root", "watch"] {
                tokens[login] = try await store.issueToken(login: login)
            }
            let issued = tokens
            let app = buildApplication(store: store, host: "127.0.0.1", port: 0, logger: Logger(label: "test"), limits: limits)
            try await app.test(setup) { client in
                try await body(HTTPHarness(client: client, world: world, tokens: issued))
            }
        }
    }

    struct Reply {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: Data
        var json: JSONValue { (try? JSONValue.parse(json: body)) ?? .null }
        var text: String { String(decoding: body, as: UTF8.self) }
        subscript(key: String) -> JSONValue? { json[key] }
        var contentType: String { headers[.contentType] ?? "" }
    }

    func send(_ method: HTTPRequest.Method, _ path: String, as who: String?, json: JSONValue? = nil, raw: Data? = nil,
              contentType: String? = nil, headers extra: [String: String] = [:]) async throws -> Reply {
        var headers = HTTPFields()
        if let who { headers[.authorization] = "Bearer \(tokens[who] ?? who)" }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(string: json.jsonText)
            headers[.contentType] = "application/json"
        }
        if let raw { body = ByteBuffer(bytes: raw) }
        if let contentType { headers[.contentType] = contentType }
        for (k, v) in extra { headers[HTTPField.Name(k)!] = v }
        let r = try await client.execute(uri: path, method: method, headers: headers, body: body)
        return Reply(status: r.status, headers: r.headers, body: Data(buffer: r.body))
    }

    func get(_ path: String, as who: String?, headers: [String: String] = [:]) async throws -> Reply {
        try await send(.get, path, as: who, headers: headers)
    }

    func post(_ path: String, as who: String?, _ json: JSONValue, headers: [String: String] = [:]) async throws -> Reply {
        try await send(.post, path, as: who, json: json, headers: headers)
    }

    /// A plan issued by BCD (committee "chair"), monitored by CA.
    func plan(_ number: String = UUID().uuidString.prefix(6) + "/KH-BCĐ138") async throws -> String {
        let r = try await post("/v1/plans", as: "chair", .object([
            "number": .string(number), "title": .string("Phòng ngừa tội phạm xâm hại trẻ em"), "issued_on": .string("2024-10-30"),
            "issuer": .string("BCD"), "monitor": .string("CA"),
        ]))
        guard r.status == .created, let id = r["id"]?.stringValue else { throw HarnessError(r.text) }
        return id
    }

    /// A task led by CA with GDDT cooperating, due before 2030-11-15, unless `extra` says otherwise.
    func task(_ plan: String, _ extra: [String: JSONValue] = [:]) async throws -> JSONValue {
        var body: [String: JSONValue] = [
            "plan_id": .string(plan), "title": .string("Phối hợp phòng chống bạo lực học đường"), "lead": .string("CA"),
            "cooperating": .array([.string("GDDT")]), "due": .object(["before": .string("2030-11-15")]),
        ]
        for (k, v) in extra { body[k] = v }
        let r = try await post("/v1/tasks", as: "chair", .object(body))
        guard r.status == .created else { throw HarnessError(r.text) }
        return r.json
    }

    func transition(_ id: String, _ name: String, as who: String, note: String? = nil, params: JSONValue? = nil,
                    headers: [String: String] = [:]) async throws -> Reply {
        var body: [String: JSONValue] = ["name": .string(name)]
        if let note { body["note"] = .string(note) }
        if let params { body["params"] = params }
        return try await post("/v1/tasks/\(id)/transitions", as: who, .object(body), headers: headers)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

extension HTTPHarness.Reply {
    /// True for an RFC 9457 problem with this status and code.
    func isProblem(_ status: HTTPResponse.Status, _ code: String) -> Bool {
        self.status == status && contentType.hasPrefix("application/problem+json") && self["code"]?.stringValue == code
            && self["status"]?.intValue == Int(status.code) && self["title"]?.stringValue?.isEmpty == false
            && self["type"]?.stringValue != nil && self["detail"]?.stringValue?.isEmpty == false
    }
}

import BatonCore
import BatonStore
import Foundation
import HTTPTypes
import Hummingbird

/// How routes are registered: every handler returns an `APIResponse`; POST handlers get their
/// body read with the size bound and, with an `Idempotency-Key`, run at most once.
struct Routes {
    let group: RouterGroup<BatonRequestContext>
    let store: BatonStore

    func get(_ path: RouterPath, _ handler: @escaping @Sendable (Request, BatonRequestContext) async throws -> APIResponse) {
        group.get(path) { request, context in try await handler(request, context).response }
    }

    func post(_ path: RouterPath, _ handler: @escaping @Sendable (Request, BatonRequestContext, Data) async throws -> APIResponse) {
        group.post(path) { request, context in
            let body = try await RequestBodyReader.read(request)
            guard let key = request.headers[.idempotencyKey], let principal = context.principal else {
                return try await handler(request, context, body).response
            }
            return try await idempotent(key: key, principal: principal, request: request, body: body) {
                try await handler(request, context, body)
            }.response
        }
    }

    /// The first response for (user, key, request) is stored and replayed; a different request
    /// with the same key is 422, one still running is 409. A JSON body is compared as JSON, so
    /// spacing and the order of keys do not make a request different.
    private func idempotent(key: String, principal: Principal, request: Request, body: Data,
                            _ run: () async throws -> APIResponse) async throws -> APIResponse {
        var fingerprint = Data("\(request.method.rawValue) \(request.uri.path)\n".utf8)
        if let json = try? JSONValue.parse(json: body) { fingerprint.append(contentsOf: json.jsonText.utf8) } else { fingerprint.append(body) }
        switch try await store.claimIdempotency(userID: principal.userID, key: key, request: fingerprint) {
        case .replay(let status, let headers, let data):
            var h = headers
            h["Idempotent-Replayed"] = "true"
            return APIResponse(status: .init(code: status), headers: h, body: data)
        case .inFlight:
            throw BatonError(.conflict, "a request with this Idempotency-Key is still being processed")
        case .mismatch:
            throw BatonError(.validationFailed, "this Idempotency-Key was used for a different request", field: "Idempotency-Key")
        case .claimed:
            let response: APIResponse
            do {
                response = try await run()
            } catch {
                // Errors change nothing, so a retry with the same key may try again.
                try? await store.releaseIdempotency(userID: principal.userID, key: key)
                throw error
            }
            try await store.completeIdempotency(userID: principal.userID, key: key, status: Int(response.status.code),
                                                headers: response.headers, body: response.body)
            return response
        }
    }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}

extension Request {
    /// A path parameter that must be a UUID; anything else names nothing, so 404.
    func uuid(_ context: BatonRequestContext, _ name: String, what: String) throws -> UUID {
        let raw = context.parameters.get(name) ?? ""
        guard let id = UUID(hex: raw) else { throw BatonError(.notFound, "\(what) \(raw.prefix(60)) was not found") }
        return id
    }
}

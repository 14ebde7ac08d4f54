import BatonCore
import BatonStore
import HTTPTypes
import Hummingbird

/// Requires `Authorization: Bearer TOKEN` and puts the caller in the context (401 otherwise).
struct AuthMiddleware: RouterMiddleware {
    let authenticator: Authenticator

    func handle(_ request: Request, context: BatonRequestContext, next: (Request, BatonRequestContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw BatonError(.unauthenticated, "send Authorization: Bearer TOKEN")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw BatonError(.unauthenticated, "the Authorization header must be Bearer TOKEN")
        }
        let token = String(parts[1].drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
        guard let principal = try await authenticator.principal(token: token) else {
            throw BatonError(.unauthenticated, "the token is unknown or revoked")
        }
        var context = context
        context.principal = principal
        return try await next(request, context)
    }
}

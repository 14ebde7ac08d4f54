import BatonCore
import BatonStore
import HTTPTypes
import Hummingbird

/// Requires `Authorization: Bearer TOKEN` and puts the caller in the context (401 otherwise).
/// An address that sends too many unknown tokens is refused for a while (429), and so is a token
/// that asks too often.
struct AuthMiddleware: RouterMiddleware {
    let authenticator: Authenticator
    let limiters: Limiters

    func handle(_ request: Request, context: BatonRequestContext, next: (Request, BatonRequestContext) async throws -> Response) async throws -> Response {
        if let wait = limiters.failedTokens.allows(context.clientAddress) {
            return try Limiters.refusal(request, context, by: "address", retryAfter: wait)
        }
        guard let header = request.headers[.authorization] else {
            throw BatonError(.unauthenticated, "send Authorization: Bearer TOKEN")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw BatonError(.unauthenticated, "the Authorization header must be Bearer TOKEN")
        }
        let token = String(parts[1].drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
        guard let principal = try await authenticator.principal(token: token) else {
            _ = limiters.failedTokens.take(context.clientAddress)
            throw BatonError(.unauthenticated, "the token is unknown, revoked or expired")
        }
        if let wait = limiters.token.take("user \(principal.userID)") {
            return try Limiters.refusal(request, context, by: "token", retryAfter: wait)
        }
        var context = context
        context.principal = principal
        return try await next(request, context)
    }
}

import BatonCore
import BatonWeb
import HTTPTypes
import Hummingbird
import Metrics

/// Requests per client address, and the limits `AuthMiddleware` applies per token: past them, 429
/// `rate_limited` with `Retry-After`, counted in `/metrics` as `baton_rate_limited_total{by=…}`.
struct Limiters: Sendable {
    let address: RateLimiter
    let token: RateLimiter
    /// Failed token checks per address; refused while empty.
    let failedTokens: RateLimiter

    init(_ l: ServiceLimits) {
        address = RateLimiter(rate: l.perAddress, burst: l.addressBurst)
        token = RateLimiter(rate: l.perToken, burst: l.tokenBurst)
        failedTokens = RateLimiter(rate: l.failedTokensPerMinute / 60, burst: l.failedTokensPerMinute)
    }

    /// The 429 answer.
    static func refusal(_ request: Request, _ context: some RequestContext, by: String, retryAfter: Int) throws -> Response {
        Counter(label: "baton_rate_limited_total", dimensions: [("by", by)]).increment()
        var response = try BatonError(.rateLimited, "too many requests from this \(by); try again in \(retryAfter) s")
            .response(from: request, context: context)
        response.headers[.retryAfter] = String(retryAfter)
        return response
    }
}

struct LimitsMiddleware: RouterMiddleware {
    let limiters: Limiters
    /// Proxies whose `X-Forwarded-For` names the client (`ClientAddress`).
    let trustedProxies: Set<String>

    func handle(_ request: Request, context: BatonRequestContext, next: (Request, BatonRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        if trustedProxies.contains(context.clientAddress) {  // the common case, none, reads no header
            context.clientAddress = ClientAddress.resolve(peer: context.clientAddress, forwardedFor: request.headers[values: .xForwardedFor],
                                                          trusted: trustedProxies)
        }
        // Health checks and metrics answer whatever the load, for the operators' probes.
        if ["/healthz", "/readyz", "/metrics"].contains(request.uri.path) { return try await next(request, context) }
        // Loopback that no trusted proxy vouches for says nothing about the client (a proxy on this machine
        // left unnamed, or the operators' own tools): only the per-token limits apply.
        if !ClientAddress.isLoopback(context.clientAddress), let wait = limiters.address.take(context.clientAddress) {
            return try Limiters.refusal(request, context, by: "address", retryAfter: wait)
        }
        return try await next(request, context)
    }
}

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

struct LimitsMiddleware<Context: PageRequestContext>: RouterMiddleware {
    let limiters: Limiters

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Health checks and metrics answer whatever the load, for the operators' probes.
        if ["/healthz", "/readyz", "/metrics"].contains(request.uri.path) { return try await next(request, context) }
        // Behind a proxy on the same machine every request comes from loopback: there the address says
        // nothing about the client, and only the per-token limits apply.
        let loopback = context.clientAddress.hasPrefix("127.") || context.clientAddress == "::1"
        if !loopback, let wait = limiters.address.take(context.clientAddress) {
            return try Limiters.refusal(request, context, by: "address", retryAfter: wait)
        }
        return try await next(request, context)
    }
}

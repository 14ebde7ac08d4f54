import BatonCore
import BatonStore
import BatonWeb
import Hummingbird

/// What travels with a request: Hummingbird's core context and, under `/v1`, the caller.
public struct BatonRequestContext: RequestContext, PageRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated user; set by `AuthMiddleware` for every `/v1` route.
    public var principal: Principal?
    /// The client's address (for the limits per address): the connection's peer, or what a trusted
    /// proxy says (`LimitsMiddleware` sets it first).
    public var clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// The bound a body is read to before 413 (the rest is read and discarded, see `RequestBody`).
    public var maxUploadSize: Int { RequestBodyReader.limit }

    /// The caller; routes behind `AuthMiddleware` always have one.
    func caller() throws -> Principal {
        guard let principal else { throw BatonError(.unauthenticated, "a bearer token is required") }
        return principal
    }
}

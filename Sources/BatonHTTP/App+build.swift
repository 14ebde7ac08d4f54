import BatonStore
import BatonWeb
import Hummingbird
import HummingbirdCore
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Synchronization

/// Builds the router: system routes at the top, the API under `/v1` behind a bearer token, and the
/// pages for people (signed in with a session cookie) everywhere else.
public func buildRouter(store: BatonStore, authenticator: Authenticator, registry: PrometheusCollectorRegistry,
                        pages: WebPages? = nil, limits: ServiceLimits = ServiceLimits()) -> Router<BatonRequestContext> {
    let limiters = Limiters(limits)
    // HEAD answers as GET does, without the body.
    let router = Router(context: BatonRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.middlewares.add(LogRequestsMiddleware(.info))
    router.middlewares.add(MetricsMiddleware())
    router.middlewares.add(SecurityHeadersMiddleware())
    router.middlewares.add(ProblemMiddleware())
    router.middlewares.add(LimitsMiddleware(limiters: limiters, trustedProxies: limits.trustedProxies))
    SystemController(store: store, registry: registry).addRoutes(to: router)
    let v1 = router.group("v1").add(middleware: AuthMiddleware(authenticator: authenticator, limiters: limiters))
    let routes = Routes(group: v1, store: store)
    MeController().addRoutes(to: routes)
    AgencyController(store: store).addRoutes(to: routes)
    PlanController(store: store).addRoutes(to: routes)
    DraftController(store: store).addRoutes(to: routes)
    TaskController(store: store).addRoutes(to: routes)
    BoardController(store: store).addRoutes(to: routes)
    StatsController(store: store).addRoutes(to: routes)
    NotificationController(store: store).addRoutes(to: routes)
    ProgrammeController(store: store).addRoutes(to: routes)
    pages?.addRoutes(to: router)
    return router
}

/// The REST service as an application: the router, the token-cache listener, and any other
/// long-running services (timers) in one service group with graceful shutdown.
public func buildApplication(
    store: BatonStore, host: String, port: Int, logger: Logger, services: [any Service] = [], sessions: SessionPolicy = SessionPolicy(),
    limits: ServiceLimits = ServiceLimits(),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let authenticator = Authenticator(store: store)
    let pages: WebPages?
    do {
        pages = try WebPages(store: store, policy: sessions, logger: logger)
    } catch {
        logger.error("the pages could not be loaded: \(error)")
        pages = nil
    }
    let router = buildRouter(store: store, authenticator: authenticator, registry: BatonMetrics.registry, pages: pages, limits: limits)
    return Application(
        router: router,
        server: .http1(configuration: .init(
            additionalChannelHandlers: [ProtocolErrorHandler()], idleTimeout: .seconds(limits.idleSeconds),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: ProtocolErrorHandler.maxHeaderBytes, maxHeaderListSize: ProtocolErrorHandler.maxHeaderBytes))),
        configuration: .init(address: .hostname(host, port: port), serverName: "baton",
                             availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections)),
        services: [AuthInvalidationService(authenticator: authenticator, logger: logger)] + services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: logger)
}

/// Prometheus metrics: bootstrapped once per process, served at `/metrics`.
public enum BatonMetrics {
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = Mutex(false)

    /// Routes swift-metrics (and so Hummingbird's request metrics) to the registry; idempotent.
    public static func bootstrap() {
        bootstrapped.withLock { done in
            guard !done else { return }
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            done = true
        }
    }
}

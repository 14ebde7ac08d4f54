import BatonStore
import Logging
import ServiceLifecycle

/// Fires due timers and opens recurring occurrences every `interval`, until graceful shutdown.
/// Several processes may run it: the sweep itself makes sure each timer fires once.
public struct TimerService: Service {
    let store: BatonStore
    let interval: Duration
    let logger: Logger

    public init(store: BatonStore, interval: Duration = .seconds(5), logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let report = try await store.sweep()
                if report.total > 0 {
                    logger.info("timers fired", metadata: ["fired": "\(report.fired)", "opened": "\(report.opened)"])
                }
            } catch {
                logger.warning("timer sweep failed; trying again", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}

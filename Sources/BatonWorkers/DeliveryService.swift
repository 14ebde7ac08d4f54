import AsyncHTTPClient
import BatonStore
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// Posts notifications to agencies' webhooks: each as JSON, with its stable id and an HMAC-SHA256
/// signature, retried with exponential backoff and dead-lettered after `maxAttempts`.
/// At least once: a delivery is claimed for a lease, so if this process dies another takes it over.
public struct DeliveryService: Service {
    public struct Settings: Sendable {
        public var interval: Duration = .seconds(2)
        public var batch = 50
        public var maxAttempts = 8
        /// The wait before the second attempt; it doubles after each failure (capped at an hour).
        public var backoff: Duration = .seconds(10)
        public var timeout: Duration = .seconds(10)
        public init() {}
    }

    let store: BatonStore
    let settings: Settings
    let client: HTTPClient
    let logger: Logger
    /// Opens the sealed secrets to sign with; without it, sealed webhooks fail their deliveries.
    let key: SecretKey?

    public init(store: BatonStore, settings: Settings = Settings(), client: HTTPClient = .shared, key: SecretKey?, logger: Logger) {
        self.store = store
        self.key = key
        self.settings = settings
        self.client = client
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                while try await deliverDue() == settings.batch {}
            } catch {
                logger.warning("webhook deliveries failed; trying again", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: settings.interval) }
        }
    }

    /// Relays the outbox, claims the deliveries that are due and posts them; returns how many it tried.
    @discardableResult
    public func deliverDue() async throws -> Int {
        while try await store.relayOutbox() > 0 {}
        let lease = settings.timeout * 3
        let due = try await store.claimDeliveries(limit: settings.batch, lease: lease, key: key)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for delivery in due {
                group.addTask {
                    let error = await post(delivery)
                    let wait = backoff(after: delivery.attempts)
                    try await store.finishDelivery(delivery.id, error: error, retryAfter: wait, maxAttempts: settings.maxAttempts)
                    if let error, delivery.attempts >= settings.maxAttempts {
                        logger.warning("webhook delivery dead-lettered", metadata: ["delivery": "\(delivery.id)", "error": "\(error)"])
                    }
                }
            }
            try await group.waitForAll()
        }
        return due.count
    }

    /// The wait after `attempts` failures: backoff × 2^(attempts−1), at most an hour, with ±20% jitter.
    func backoff(after attempts: Int) -> Duration {
        let base = settings.backoff * (1 << min(max(attempts - 1, 0), 20))
        let capped = min(base, .seconds(3600))
        return capped * Double.random(in: 0.8...1.2)
    }

    /// Nil when the receiver answered 2xx; otherwise what went wrong.
    func post(_ delivery: Delivery) async -> String? {
        guard let signature = delivery.signature else { return "the webhook's secret is sealed and this server's key does not open it (BATON_SECRET_KEY)" }
        var request = HTTPClientRequest(url: delivery.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.headers.add(name: "User-Agent", value: "baton")
        request.headers.add(name: "X-Baton-Id", value: String(delivery.notificationID))
        request.headers.add(name: "X-Baton-Attempt", value: String(delivery.attempts))
        request.headers.add(name: "X-Baton-Signature", value: "sha256=" + signature)
        request.body = .bytes(ByteBuffer(string: delivery.body))
        do {
            let response = try await client.execute(request, timeout: .init(settings.timeout))
            _ = try? await response.body.collect(upTo: 1 << 16)
            return (200..<300).contains(response.status.code) ? nil : "HTTP \(response.status.code)"
        } catch {
            return String(describing: error).prefix(300).description
        }
    }
}


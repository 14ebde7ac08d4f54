import Foundation
import Synchronization

/// How much one client may ask of the service, and how long a connection may sit idle.
public struct ServiceLimits: Sendable, Hashable {
    /// Requests per second per bearer token (and per signed-in session), with bursts up to `tokenBurst`.
    public var perToken: Double = 50
    public var tokenBurst: Double = 200
    /// Requests per second per client address, with bursts up to `addressBurst`.
    public var perAddress: Double = 200
    public var addressBurst: Double = 1000
    /// Failed bearer-token checks per client address per minute before it is refused for a while.
    public var failedTokensPerMinute: Double = 20
    /// A connection that sends nothing for this many seconds is closed (also one stalled in its headers).
    public var idleSeconds: Int64 = 30
    /// Connections served at once; more wait in the listen queue.
    public var maxConnections = 2_048
    /// Addresses of proxies in front whose `X-Forwarded-For` names the client (`ClientAddress`).
    public var trustedProxies: Set<String> = []
    public init() {}

    /// No limits on requests: for benchmarks that drive one token hard.
    public static var unlimited: ServiceLimits {
        var l = ServiceLimits()
        (l.perToken, l.tokenBurst, l.perAddress, l.addressBurst) = (.infinity, .infinity, .infinity, .infinity)
        return l
    }
}

/// Token buckets by key: each key holds up to `burst` requests and regains `rate` a second.
final class RateLimiter: Sendable {
    private struct Bucket { var tokens: Double; var at: ContinuousClock.Instant }
    private let rate: Double
    private let burst: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = burst
    }

    /// Takes one request for `key`: nil when allowed, else the seconds until one is.
    func take(_ key: String, cost: Double = 1) -> Int? {
        guard rate.isFinite else { return nil }
        let now = ContinuousClock.now
        return buckets.withLock { all in
            var b = all[key] ?? Bucket(tokens: burst, at: now)
            let elapsed = Double((now - b.at).components.seconds) + Double((now - b.at).components.attoseconds) / 1e18
            b.tokens = min(burst, b.tokens + elapsed * rate)
            b.at = now
            defer {
                all[key] = b
                // Keys that have refilled by now carry no information: forget them when the table grows.
                if all.count > 50_000 {
                    all = all.filter { _, b in b.tokens + Double((now - b.at).components.seconds) * rate < burst }
                }
            }
            guard b.tokens >= cost else { return max(1, Int(((cost - b.tokens) / rate).rounded(.up))) }
            b.tokens -= cost
            return nil
        }
    }

    /// Whether `key` has requests left, without taking one.
    func allows(_ key: String) -> Int? {
        guard rate.isFinite else { return nil }
        let now = ContinuousClock.now
        return buckets.withLock { all in
            guard let b = all[key] else { return nil }
            let elapsed = Double((now - b.at).components.seconds) + Double((now - b.at).components.attoseconds) / 1e18
            let tokens = min(burst, b.tokens + elapsed * rate)
            return tokens >= 1 ? nil : max(1, Int(((1 - tokens) / rate).rounded(.up)))
        }
    }
}

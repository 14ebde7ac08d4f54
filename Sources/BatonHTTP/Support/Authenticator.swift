import BatonStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Resolves bearer tokens to users, with a short cache that is trustworthy only while
/// `AuthInvalidationService` listens for revocations (NOTIFY baton_auth) and nothing changed in
/// this process since an entry was read (`BatonStore.authGeneration`); otherwise every request
/// asks the database.
public final class Authenticator: Sendable {
    let store: BatonStore
    private let cache = Mutex<[String: (principal: Principal, at: ContinuousClock.Instant, generation: Int)]>([:])
    private let listening = Atomic<Bool>(false)
    static let ttl: Duration = .seconds(10)

    public init(store: BatonStore) {
        self.store = store
    }

    func principal(token: String) async throws -> Principal? {
        let now = ContinuousClock.now
        let generation = store.authGeneration
        if listening.load(ordering: .acquiring), let hit = cache.withLock({ $0[token] }), now - hit.at < Self.ttl, hit.generation == generation {
            return hit.principal
        }
        guard let principal = try await store.authenticate(token: token) else { return nil }
        if listening.load(ordering: .acquiring) {
            cache.withLock { c in
                if c.count > 10_000 { c.removeAll() }
                c[token] = (principal, now, generation)
            }
        }
        return principal
    }

    /// Forgets every cached token (a token was revoked, or a user or agency changed).
    func invalidateAll() {
        cache.withLock { $0.removeAll() }
    }

    func setListening(_ on: Bool) {
        if !on { invalidateAll() }
        listening.store(on, ordering: .releasing)
    }
}

/// Listens on `baton_auth` and clears the token cache whenever anything that affects
/// authentication changes, in this process or any other.
public struct AuthInvalidationService: Service {
    let authenticator: Authenticator
    let logger: Logger

    public init(authenticator: Authenticator, logger: Logger) {
        self.authenticator = authenticator
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                for try await _ in authenticator.store.authChanges().cancelOnGracefulShutdown() {
                    authenticator.invalidateAll()
                    authenticator.setListening(true)
                }
                authenticator.setListening(false)
            } catch {
                authenticator.setListening(false)
                logger.warning("token cache off: cannot listen for revocations", metadata: ["error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: .seconds(2))
            }
        }
        authenticator.setListening(false)
    }
}

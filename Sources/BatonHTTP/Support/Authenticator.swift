import BatonStore
import Foundation
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

import BatonStore
import Foundation
import Synchronization

/// What the live board listens to: the outbox's newest row, read at most once a second however many
/// pages listen, so a change anywhere tells every open board to refresh.
final class LiveUpdates: Sendable {
    let store: BatonStore
    private let latest = Mutex<(value: Int64, at: ContinuousClock.Instant)?>(nil)

    init(store: BatonStore) { self.store = store }

    /// The newest change, at most a second old.
    func current() async throws -> Int64 {
        let now = ContinuousClock.now
        if let cached = latest.withLock({ $0 }), now - cached.at < .seconds(1) { return cached.value }
        let value = try await store.latestChange()
        latest.withLock { $0 = (value, now) }
        return value
    }
}

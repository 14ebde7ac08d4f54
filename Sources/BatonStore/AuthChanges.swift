import BatonCore
import Postgres

/// Moments after which a cached authentication may be stale: the first once the store listens
/// (anything before it may have been missed), then one per batch of changes. The sequence ends
/// with a `BatonError` when the database connection breaks; ending the iteration stops listening.
public struct AuthChanges: AsyncSequence, Sendable {
    public typealias Element = Void
    let notifications: AsyncThrowingStream<[String], any Error>

    init(_ notifications: AsyncThrowingStream<[String], any Error>) {
        self.notifications = notifications
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: notifications.makeAsyncIterator())
    }

    /// Reads the next change, with a PostgreSQL error told as a `BatonError`.
    public struct Iterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<[String], any Error>.Iterator

        public mutating func next() async throws -> Void? {
            var base = self.base
            defer { self.base = base }
            return try await Database.translating { try await base.next() }.map { _ in () }
        }
    }
}

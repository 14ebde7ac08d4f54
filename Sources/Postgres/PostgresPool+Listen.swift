import Foundation
import Synchronization

extension PostgresPool {
    /// `NOTIFY` payloads on `channel`, heard on a connection of its own.
    ///
    /// The first element, empty, comes once the connection listens (anything earlier may have been
    /// missed); then one element per batch of notifications. The blocking waits run on a thread of
    /// the listener's own, never on an event loop; ending the iteration closes the connection within
    /// half a second. A broken connection ends the sequence with its error.
    public func notifications(channel: String) -> AsyncThrowingStream<[String], any Error> {
        precondition(channel.allSatisfy { $0.isASCII && ($0.isLowercase || $0 == "_") }, "a channel name of Baton's own")
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: [String].self)
        let configuration = self.configuration
        let box = StopFlag()
        continuation.onTermination = { _ in box.stop() }
        let thread = Thread {
            do {
                let connection = try PostgresConnection(configuration)
                defer { connection.close() }
                try connection.execute("LISTEN \(channel)")
                continuation.yield([])
                while !box.isStopped {
                    let notes = try connection.waitForNotifications(timeout: 0.5)
                    if !notes.isEmpty { continuation.yield(notes.map(\.payload)) }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        thread.name = "pg-listen"
        thread.start()
        return stream
    }
}

/// Set once by whoever ends a listener's iteration; read by its thread.
private final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isStopped: Bool { flag.load(ordering: .acquiring) }
    func stop() { flag.store(true, ordering: .releasing) }
}

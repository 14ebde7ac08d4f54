import BatonCore
import BatonHTTP
import BatonStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// A database that does not answer is the store's `BatonError.unavailable`: 503 problems that
/// never carry the database's own message.
@Suite struct UnreachableDatabaseTests {
    @Test func readinessAndRequestsAre503WithoutTheDatabasesWords() async throws {
        // Nothing listens on port 1: every connection is refused at once.
        let store = BatonStore(url: "postgresql://baton@127.0.0.1:1/nothing?connect_timeout=2", poolSize: 1)
        let app = buildApplication(store: store, host: "127.0.0.1", port: 0, logger: Logger(label: "test"))
        try await app.test(.router) { client in
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .serviceUnavailable && ready.headers[.contentType] == "application/problem+json")
            let token = String(repeating: "A", count: 40)
            let me = try await client.execute(uri: "/v1/me", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(me.status == .serviceUnavailable && me.headers[.retryAfter] == "2", "a client is told when to retry")
            let problem = try JSONValue.parse(json: Data(buffer: me.body))
            #expect(problem["code"]?.stringValue == "internal" && problem["status"]?.intValue == 503)
            #expect(problem["detail"]?.stringValue == "the database is not reachable")
            let text = String(buffer: me.body)
            #expect(!text.contains("127.0.0.1") && !text.lowercased().contains("refused"), "\(text)")
        }
        await store.shutdown()
    }
}

import BatonCore
import BatonStore
import BatonTestSupport
import BatonWorkers
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Postgres
import Synchronization
import Testing

@Suite struct DeliveryTests {
    /// A receiver that fails 30% of the time — sometimes after keeping the message, so Baton sends it
    /// again — still ends with every notification delivered (or dead-lettered), each id once after
    /// de-duplication, every one signed.
    @Test func aFlakyReceiverGetsEveryNotification() async throws {
        try await TestCluster.withStore(poolSize: 6) { store in
            let w = try await World.make(store)
            let received = Mutex<[(id: String, body: String, signature: String)]>([])
            let router = Router()
            router.post("hook") { request, _ -> HTTPResponse.Status in
                let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
                let roll = Double.random(in: 0..<1)
                if roll < 0.2 { return .internalServerError }  // lost before reading
                received.withLock { $0.append((request.headers[HTTPField.Name("X-Baton-Id")!] ?? "", body,
                                               request.headers[HTTPField.Name("X-Baton-Signature")!] ?? "")) }
                return roll < 0.3 ? .serviceUnavailable : .ok  // kept, but the answer says otherwise
            }
            let receiver = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await receiver.test(.live) { client in
                let url = "http://127.0.0.1:\(client.port!)/hook"
                let secret = try await store.setWebhook(agency: "CA", url: url, secret: "s3cr3t-0123456789abcdef", key: Self.key)
                let plan = try await w.plan()
                for i in 0..<25 { _ = try await w.task(plan, ["title": .string("Nhiệm vụ \(i)")]) }
                var settings = DeliveryService.Settings()
                settings.backoff = .milliseconds(5)
                settings.maxAttempts = 10
                settings.batch = 8
                let service = DeliveryService(store: store, settings: settings, key: Self.key, logger: Logger(label: "test"))
                for _ in 0..<600 {
                    try await service.deliverDue()
                    if try await store.deliveries(state: "pending", limit: 1).isEmpty { break }
                    try await Task.sleep(for: .milliseconds(10))
                }
                let all = try await store.deliveries(state: nil, limit: 1000)
                #expect(all.count == 25, "one delivery per notification of CA")
                #expect(all.allSatisfy { $0.state == "delivered" || $0.state == "dead" })
                let delivered = Set(all.filter { $0.state == "delivered" }.map { String($0.notificationID) })
                let got = received.withLock { $0 }
                #expect(Set(got.map(\.id)).isSuperset(of: delivered), "nothing delivered was lost")
                #expect(Set(got.map(\.id)).isSubset(of: Set(all.map { String($0.notificationID) })), "only real notifications, by their stable ids")
                let notifications = try await store.notifications(for: w.police, unreadOnly: false, page: Page(limit: 500)).items
                #expect(Set(notifications.map { String($0.id) }) == Set(all.map { String($0.notificationID) }))
                for message in got.prefix(5) {
                    let expected = try await store.pool.withConnection { conn in
                        try conn.query("SELECT encode(hmac(\(message.body), \(secret), 'sha256'), 'hex') AS s")[0].decode(String.self, "s")
                    }
                    #expect(message.signature == "sha256=" + expected)
                    #expect(try JSONParser.parse(message.body)["id"]?.intValue.map(String.init) == message.id)
                }
            }
        }
    }

    @Test func deadLettersCanBeRetried() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            _ = try await store.setWebhook(agency: "CA", url: "http://127.0.0.1:9/nothing-listens", secret: nil, key: Self.key)
            _ = try await w.task(try await w.plan())
            var settings = DeliveryService.Settings()
            settings.backoff = .milliseconds(1)
            settings.maxAttempts = 2
            settings.timeout = .seconds(2)
            let service = DeliveryService(store: store, settings: settings, key: Self.key, logger: Logger(label: "test"))
            for _ in 0..<50 {
                try await service.deliverDue()
                if try await !store.deliveries(state: "dead", limit: 1).isEmpty { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            let dead = try await store.deliveries(state: "dead", limit: 10)
            #expect(dead.count == 1 && dead[0].attempts == 2 && dead[0].lastError != nil)
            #expect(try await store.retryDeliveries(ids: [], allDead: true) == 1)
            #expect(try await store.deliveries(state: "pending", limit: 10).count == 1)
        }
    }

    static let key = try! SecretKey(String(repeating: "k", count: 40))

    @Test func secretsAreSealedAtRestAndRotated() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            let secret = "bí-mật-0123456789abcdef"
            await #expect(throws: BatonError.self, "no key, no webhook") {
                _ = try await store.setWebhook(agency: "CA", url: "http://127.0.0.1:9/x", secret: secret, key: nil)
            }
            _ = try await store.setWebhook(agency: "CA", url: "http://127.0.0.1:9/x", secret: secret, key: Self.key)
            let stored = try await store.pool.withConnection { conn in
                try conn.query("SELECT secret, encode(secret_sealed, 'escape') AS sealed FROM webhooks")[0]
            }
            #expect(try stored.decode(String?.self, "secret") == nil)
            #expect(try stored.decode(String.self, "sealed").contains("0123456789abcdef") == false, "not in clear")
            _ = try await w.task(try await w.plan())
            _ = try await store.relayOutbox()
            /// The signature of a fresh claim, and whether it is the HMAC of its body with the secret.
            func signature(_ key: SecretKey?) async throws -> (String?, Bool) {
                // Claimed deliveries are leased; make them due again for each look.
                try await store.pool.withConnection { conn in try conn.query("UPDATE deliveries SET next_attempt_at = now() - interval '1 second'") }
                guard let d = try await store.claimDeliveries(limit: 10, lease: .seconds(60), key: key).first else { return (nil, false) }
                let expected = try await store.pool.withConnection { conn in
                    try conn.query("SELECT encode(hmac(\(d.body), \(secret), 'sha256'), 'hex') AS s")[0].decode(String.self, "s")
                }
                return (d.signature, d.signature == expected)
            }
            #expect(try await signature(Self.key).1, "signed with the secret the key opens")
            #expect(try await signature(nil).0 == nil, "without the key nothing is signed")
            let newKey = try SecretKey(String(repeating: "n", count: 40))
            #expect(try await store.rotateWebhookKey(from: Self.key, to: newKey) == 1)
            #expect(try await signature(newKey).1, "the new key opens the same secret")
            await #expect(throws: (any Error).self, "the old key no longer opens it") { _ = try await signature(Self.key) }
            do {
                _ = try await store.rotateWebhookKey(from: Self.key, to: newKey)
                Issue.record("the old key rotated secrets it cannot open")
            } catch let e as BatonError {
                #expect(e.field == "secret key" && e.detail.contains("does not open"), "\(e)")
            }
            // Secrets left in clear by an older version are sealed at start.
            try await store.pool.withConnection { conn in
                try conn.query("UPDATE webhooks SET secret = 'from-an-older-version-0123', secret_sealed = NULL")
            }
            #expect(try await store.sealWebhookSecrets(key: newKey) == 1)
            #expect(try await store.sealWebhookSecrets(key: newKey) == 0)
        }
    }
}

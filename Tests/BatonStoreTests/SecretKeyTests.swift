import BatonCore
@testable import BatonStore
import Foundation
import Synchronization
import Testing

/// Where the key that seals webhook secrets comes from, and how a private cluster's key file is made.
@Suite struct SecretKeyTests {
    @Test func aPrivateClustersKeyIsCreatedOnceOwnerOnlyAndThenRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-key-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/secret.key"
        #expect(try SecretKey.load(environment: [:], defaultFile: file, create: false) == nil)
        let first = try #require(try SecretKey.load(environment: [:], defaultFile: file, create: true))
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try SecretKey.load(environment: [:], defaultFile: file, create: true) == first, "an existing key is never replaced")
        let named = String(repeating: "e", count: 32)
        #expect(try SecretKey.load(environment: ["BATON_SECRET_KEY": named], defaultFile: file, create: true) == SecretKey(named))
        #expect(throws: BatonError.self) { try SecretKey.load(environment: ["BATON_SECRET_KEY": "short"], defaultFile: file, create: true) }
    }

    @Test func processesStartingTogetherAgreeOnOneKey() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-key-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let keys = Mutex<[SecretKey?]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let key = try? SecretKey.load(environment: [:], defaultFile: dir + "/secret.key", create: true)
            keys.withLock { $0.append(key) }
        }
        let all = keys.withLock { $0 }
        #expect(all.count == 8 && all.allSatisfy { $0 != nil } && Set(all).count == 1)
    }
}

import BatonCore
import Foundation
import Postgres

/// What a request with an `Idempotency-Key` should do.
public enum IdempotencyClaim: Sendable {
    /// First time: run the request, then `completeIdempotency`.
    case claimed
    /// Seen before with the same request: send this response again.
    case replay(status: Int, headers: [String: String], body: Data)
    /// The first request with this key is still running.
    case inFlight
    /// The key was used for a different request.
    case mismatch
}

extension BatonStore {
    /// Claims `key` for this user and request (method, path and body), or says why not.
    public func claimIdempotency(userID: Int64, key: String, request: Data) async throws -> IdempotencyClaim {
        guard !key.isEmpty, key.count <= 255, key.allSatisfy({ $0.isASCII && !$0.isNewline }) else {
            throw BatonError.invalid("Idempotency-Key", "must be 1–255 printable ASCII characters")
        }
        // A request of this process with the key is still running: no need to ask the database.
        let slot = Self.claimSlot(userID, key)
        guard runningClaims.withLock({ $0.insert(slot).inserted }) else { return .inFlight }
        do {
            let claim = try await claim(userID: userID, key: key, request: request)
            if case .claimed = claim { return claim }
            runningClaims.withLock { _ = $0.remove(slot) }
            return claim
        } catch {
            runningClaims.withLock { _ = $0.remove(slot) }
            throw error
        }
    }

    private func claim(userID: Int64, key: String, request: Data) async throws -> IdempotencyClaim {
        let b64 = request.base64EncodedString()
        let holder = claimHolder
        return try await pool.withConnection { conn in
            // One statement: the claim, or what an earlier claim of the key holds (the join sees the
            // table as it was before this insert). A claim left without an answer was abandoned — the
            // database went away mid-request, or its process died — and whether it changed anything is
            // unknown; a repeat takes it over and runs against the state as it now is (a transition
            // already made is then refused as such). This process holds no running request with the key
            // (`runningClaims`), so its own claim is taken over at once; another process's only after
            // longer than a statement may run, when its first attempt can no longer commit. The sweep
            // forgets keys after a day.
            let row = try conn.query("""
                WITH h AS (SELECT encode(sha256(decode(\(b64), 'base64')), 'hex') AS hash),
                ins AS (
                    INSERT INTO idempotency_keys (user_id, key, request_hash, holder) SELECT \(userID), \(key), hash, \(holder) FROM h
                    ON CONFLICT (user_id, key) DO UPDATE SET created_at = now(), holder = excluded.holder
                    WHERE idempotency_keys.status IS NULL AND idempotency_keys.request_hash = excluded.request_hash
                      AND (idempotency_keys.holder = excluded.holder
                           OR idempotency_keys.created_at < now() - make_interval(secs => \(Self.abandonedAfterSeconds)))
                    RETURNING 1
                )
                SELECT EXISTS (SELECT 1 FROM ins) AS claimed, k.request_hash = h.hash AS same,
                       k.status, k.headers, encode(k.body, 'base64') AS body
                FROM h LEFT JOIN idempotency_keys k ON k.user_id = \(userID) AND k.key = \(key)
                """)[0]
            if try row.decode(Bool.self, "claimed") { return .claimed }
            // Neither claimed nor found: another request holds the key and has not committed yet.
            guard let same = try row.decode(Bool?.self, "same") else { return .inFlight }
            guard same else { return .mismatch }
            guard let status = try row.decode(Int?.self, "status") else { return .inFlight }
            var headers: [String: String] = [:]
            for (k, v) in try JSONParser.parse(try row.decode(String?.self, "headers") ?? "{}").objectValue ?? [:] {
                headers[k] = v.stringValue
            }
            let body = Data(base64Encoded: try row.decode(String?.self, "body") ?? "", options: .ignoreUnknownCharacters) ?? Data()
            return .replay(status: status, headers: headers, body: body)
        }
    }

    /// Seconds after which another process's claim with no answer counts as abandoned: longer than
    /// a statement may run (PostgreSQL's statement_timeout, 30 s), so its request can no longer commit.
    static let abandonedAfterSeconds = 45.0

    static func claimSlot(_ userID: Int64, _ key: String) -> String { "\(userID) \(key)" }

    /// Records the response to send again for repeats of `key`.
    public func completeIdempotency(userID: Int64, key: String, status: Int, headers: [String: String], body: Data) async throws {
        runningClaims.withLock { _ = $0.remove(Self.claimSlot(userID, key)) }
        let headerJSON = JSONValue.object(headers.mapValues(JSONValue.string)).jsonText
        let b64 = body.base64EncodedString()
        try await pool.withConnection { conn in
            try conn.query("""
                UPDATE idempotency_keys SET status = \(status), headers = \(headerJSON)::jsonb, body = decode(\(b64), 'base64')
                WHERE user_id = \(userID) AND key = \(key)
                """)
        }
    }

    /// Forgets a claim whose request failed without changing anything, so the client may retry.
    public func releaseIdempotency(userID: Int64, key: String) async throws {
        runningClaims.withLock { _ = $0.remove(Self.claimSlot(userID, key)) }
        try await pool.withConnection { conn in
            try conn.query("DELETE FROM idempotency_keys WHERE user_id = \(userID) AND key = \(key) AND status IS NULL")
        }
    }
}

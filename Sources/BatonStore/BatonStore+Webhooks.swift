import BatonCore
import Foundation
import Postgres

/// A webhook as the CLI shows it.
public struct WebhookRecord: Sendable, Hashable {
    public let agency: String
    public let url: String
    public let active: Bool
}

/// A delivery claimed by the worker: what to POST, signed.
public struct Delivery: Sendable, Hashable {
    public let id: Int64
    /// The notification's id: stable across retries, for the receiver to drop repeats.
    public let notificationID: Int64
    public let url: String
    public let attempts: Int
    public let body: String
    /// Hex HMAC-SHA256 of `body` with the webhook's secret; nil when the secret is sealed and the key given (if any) does not open it.
    public let signature: String?
}

/// A delivery's state, as `baton outbox list` shows it.
public struct DeliveryRecord: Sendable, Hashable {
    public let id: Int64
    public let notificationID: Int64
    public let agency: String
    public let kind: String
    public let attempts: Int
    public let state: String
    public let nextAttemptAt: Date
    public let lastError: String?
}

extension BatonStore {
    /// Registers (or changes) an agency's webhook; returns the signing secret (generated when not given).
    public func setWebhook(agency: String, url: String, secret: String?, key: SecretKey?) async throws -> String {
        guard let key else {
            throw BatonError.invalid("secret key", "webhook secrets are sealed with a key: set BATON_SECRET_KEY or BATON_SECRET_KEY_FILE")
        }
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil else {
            throw BatonError.invalid("url", "'\(url.prefix(80))' is not an http(s) URL")
        }
        let secret = secret ?? Self.newToken()
        guard secret.count >= 16 else { throw BatonError.invalid("secret", "use at least 16 characters") }
        try await pool.transaction { conn in
            let id = try Self.agencyIDs(conn, codes: [agency]) { _ in "agency" }[0]
            try conn.query("""
                INSERT INTO webhooks (agency_id, url, secret, secret_sealed) VALUES (\(id), \(url), NULL, pgp_sym_encrypt(\(secret), \(key.value)))
                ON CONFLICT (agency_id) DO UPDATE SET url = excluded.url, secret = NULL, secret_sealed = excluded.secret_sealed, active = true
                """)
        }
        return secret
    }

    /// Stops an agency's webhook; its undelivered notifications are dead-lettered (retry them after a new URL).
    public func removeWebhook(agency: String) async throws {
        try await pool.transaction { conn in
            let rows = try conn.query("""
                UPDATE webhooks w SET active = false FROM agencies a WHERE a.id = w.agency_id AND a.code = \(agency) AND w.active RETURNING w.agency_id
                """)
            guard let id = try rows.single?.decode(Int64.self, "agency_id") else { throw BatonError.notFound("a webhook of \(agency)") }
            try conn.query("""
                UPDATE deliveries d SET dead_at = now(), last_error = 'webhook removed'
                FROM notifications n WHERE n.id = d.notification_id AND n.agency_id = \(id) AND d.delivered_at IS NULL AND d.dead_at IS NULL
                """)
        }
    }

    public func webhooks() async throws -> [WebhookRecord] {
        try await pool.withConnection { conn in
            try conn.query("SELECT a.code, w.url, w.active FROM webhooks w JOIN agencies a ON a.id = w.agency_id ORDER BY a.code").map {
                WebhookRecord(agency: try $0.decode(String.self, "code"), url: try $0.decode(String.self, "url"), active: try $0.decode(Bool.self, "active"))
            }
        }
    }

    /// Reads what the outbox holds since the last relay and queues a delivery for each of its
    /// notifications whose agency has an active webhook. Returns how many outbox rows it read.
    @discardableResult
    public func relayOutbox(limit: Int = 1_000) async throws -> Int {
        try await pool.withConnection { conn in
            try conn.query("""
                WITH batch AS (
                    SELECT id, task_id, event_seq FROM outbox WHERE relayed_at IS NULL ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED
                ), marked AS (
                    UPDATE outbox o SET relayed_at = now() FROM batch WHERE o.id = batch.id
                ), queued AS (
                    INSERT INTO deliveries (notification_id, next_attempt_at)
                    SELECT n.id, now()
                    FROM batch
                    JOIN notifications n ON n.task_id = batch.task_id AND n.event_seq = batch.event_seq
                    JOIN webhooks w ON w.agency_id = n.agency_id AND w.active
                    ON CONFLICT (notification_id) DO NOTHING
                )
                SELECT count(*) AS n FROM batch
                """)[0].decode(Int.self, "n")
        }
    }

    /// Claims up to `limit` deliveries that are due, for `lease` (another worker takes them after it
    /// if this one dies): at least once, never lost.
    public func claimDeliveries(limit: Int, lease: Duration, key: SecretKey?) async throws -> [Delivery] {
        let leaseSeconds = Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18
        return try await pool.withConnection { conn in
            try conn.query("""
                WITH claimed AS (
                    UPDATE deliveries d SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => \(leaseSeconds))
                    WHERE d.id IN (
                        SELECT d2.id FROM deliveries d2
                        JOIN notifications n2 ON n2.id = d2.notification_id
                        JOIN webhooks w2 ON w2.agency_id = n2.agency_id AND w2.active
                        WHERE d2.delivered_at IS NULL AND d2.dead_at IS NULL AND d2.next_attempt_at <= now()
                        ORDER BY d2.next_attempt_at LIMIT \(limit)
                        FOR UPDATE OF d2 SKIP LOCKED)
                    RETURNING d.id, d.notification_id, d.attempts
                )
                SELECT c.id, c.notification_id, c.attempts, w.url, b.body, encode(hmac(b.body, coalesce(baton_open_secret(w.secret_sealed, \(key?.value)), w.secret), 'sha256'), 'hex') AS signature
                FROM claimed c
                JOIN notifications n ON n.id = c.notification_id
                JOIN agencies a ON a.id = n.agency_id
                JOIN webhooks w ON w.agency_id = n.agency_id
                JOIN tasks t ON t.id = n.task_id
                JOIN plans p ON p.id = t.plan_id
                CROSS JOIN LATERAL (SELECT json_build_object(
                    'id', n.id, 'agency', a.code, 'kind', n.kind, 'task_id', t.id, 'task_title', t.title, 'plan_id', t.plan_id,
                    'event_seq', n.event_seq, 'at', baton_rfc3339(n.created_at, p.time_zone), 'attempt', c.attempts)::text AS body) b
                ORDER BY c.id
                """).map {
                Delivery(id: try $0.decode(Int64.self, "id"), notificationID: try $0.decode(Int64.self, "notification_id"),
                         url: try $0.decode(String.self, "url"), attempts: try $0.decode(Int.self, "attempts"),
                         body: try $0.decode(String.self, "body"), signature: try $0.decode(String?.self, "signature"))
            }
        }
    }

    /// Records a delivery's outcome: delivered, or retried after `retryAfter`, or dead after `maxAttempts`.
    public func finishDelivery(_ id: Int64, error: String?, retryAfter: Duration, maxAttempts: Int) async throws {
        let seconds = Double(retryAfter.components.seconds) + Double(retryAfter.components.attoseconds) / 1e18
        try await pool.withConnection { conn in
            if let error {
                try conn.query("""
                    UPDATE deliveries SET last_error = \(String(error.prefix(500))),
                           next_attempt_at = now() + make_interval(secs => \(seconds)),
                           dead_at = CASE WHEN attempts >= \(maxAttempts) THEN now() END
                    WHERE id = \(id) AND delivered_at IS NULL
                    """)
            } else {
                try conn.query("UPDATE deliveries SET delivered_at = now(), last_error = NULL WHERE id = \(id)")
            }
        }
    }

    /// Deliveries by state (`pending`, `delivered`, `dead`, or nil for all), newest first.
    public func deliveries(state: String?, limit: Int) async throws -> [DeliveryRecord] {
        try await pool.withConnection { conn in
            try conn.query("""
                SELECT d.id, d.notification_id, a.code, n.kind, d.attempts, d.next_attempt_at, d.last_error,
                       CASE WHEN d.delivered_at IS NOT NULL THEN 'delivered' WHEN d.dead_at IS NOT NULL THEN 'dead' ELSE 'pending' END AS state
                FROM deliveries d JOIN notifications n ON n.id = d.notification_id JOIN agencies a ON a.id = n.agency_id
                WHERE \(state)::text IS NULL
                   OR (\(state) = 'delivered' AND d.delivered_at IS NOT NULL)
                   OR (\(state) = 'dead' AND d.dead_at IS NOT NULL)
                   OR (\(state) = 'pending' AND d.delivered_at IS NULL AND d.dead_at IS NULL)
                ORDER BY d.id DESC LIMIT \(limit)
                """).map {
                DeliveryRecord(id: try $0.decode(Int64.self, "id"), notificationID: try $0.decode(Int64.self, "notification_id"),
                               agency: try $0.decode(String.self, "code"), kind: try $0.decode(String.self, "kind"),
                               attempts: try $0.decode(Int.self, "attempts"), state: try $0.decode(String.self, "state"),
                               nextAttemptAt: try $0.decode(Date.self, "next_attempt_at"), lastError: try $0.decode(String?.self, "last_error"))
            }
        }
    }

    /// Puts dead (or named) deliveries back in the queue; returns how many.
    public func retryDeliveries(ids: [Int64], allDead: Bool) async throws -> Int {
        try await pool.withConnection { conn in
            try conn.query("""
                UPDATE deliveries SET dead_at = NULL, attempts = 0, next_attempt_at = now(), last_error = NULL
                WHERE delivered_at IS NULL AND (id = ANY(\(ids)::bigint[]) OR (\(allDead) AND dead_at IS NOT NULL))
                RETURNING id
                """).count
        }
    }
}

extension BatonStore {
    /// Seals the secrets still kept in clear (written before sealing existed); returns how many.
    @discardableResult
    public func sealWebhookSecrets(key: SecretKey) async throws -> Int {
        try await pool.withConnection { conn in
            try conn.query("""
                WITH s AS (
                    UPDATE webhooks SET secret_sealed = pgp_sym_encrypt(secret, \(key.value)), secret = NULL WHERE secret IS NOT NULL RETURNING 1
                ) SELECT count(*) AS n FROM s
                """)[0].decode(Int.self, "n")
        }
    }

    /// Seals every webhook secret again with `new` (opened with `old`) in one transaction; returns how many.
    public func rotateWebhookKey(from old: SecretKey, to new: SecretKey) async throws -> Int {
        do {
            return try await pool.transaction { conn in
                try conn.query("""
                    WITH s AS (
                        UPDATE webhooks SET secret_sealed = pgp_sym_encrypt(coalesce(pgp_sym_decrypt(secret_sealed, \(old.value)), secret), \(new.value)),
                                            secret = NULL
                        RETURNING 1
                    ) SELECT count(*) AS n FROM s
                    """)[0].decode(Int.self, "n")
            }
        } catch let e as BatonError where e.cause?.contains("Wrong key") == true {
            throw BatonError.invalid("secret key", "the current key does not open the sealed secrets")
        }
    }
}

import Foundation
import BatonCore
import Postgres

/// Applies `sql/NNNN_name.sql` in order, each in its own transaction, recorded with a checksum.
///
/// Two migrators at once are safe: the second waits on an advisory lock and then finds the work
/// done. A migration edited after it was applied is refused, naming the file.
public struct Migrator: Sendable {
    public struct Migration: Sendable, Hashable {
        public let version: Int
        public let name: String
        public let sql: String
    }

    public let migrations: [Migration]

    /// Reads every `NNNN_name.sql` in `directory`; refuses gaps, duplicates and other names.
    public init(directory: String) throws {
        let fm = FileManager.default
        guard let files = try? fm.contentsOfDirectory(atPath: directory) else {
            throw BatonError.invalid(nil, "no migrations directory at \(directory)")
        }
        var list: [Migration] = []
        for file in files.sorted() where file.hasSuffix(".sql") {
            guard let m = file.wholeMatch(of: /([0-9]{4})_([a-z0-9_]+)\.sql/), let v = Int(m.1) else {
                throw BatonError.invalid(nil, "\(directory)/\(file): migrations are named NNNN_name.sql")
            }
            let sql = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            list.append(Migration(version: v, name: file, sql: sql))
        }
        for (i, m) in list.enumerated() where m.version != i + 1 {
            throw BatonError.invalid(nil, "\(directory)/\(m.name): expected migration number \(String(format: "%04d", i + 1)) (no gaps or duplicates)")
        }
        migrations = list
    }

    /// Applies what is missing; returns the names applied now.
    @discardableResult
    public func migrate(_ store: BatonStore) async throws -> [String] {
        let migrations = self.migrations
        return try await store.pool.withConnection { conn in
            // Session-level lock: held across the per-migration transactions below.
            try conn.query("SELECT pg_advisory_lock(7274143011)")
            defer { _ = try? conn.query("SELECT pg_advisory_unlock(7274143011)") }
            try conn.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    checksum   text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            var applied: [Int: (name: String, checksum: String)] = [:]
            for row in try conn.query("SELECT version, name, checksum FROM schema_migrations") {
                applied[try row.decode(Int.self, "version")] = (try row.decode(String.self, "name"), try row.decode(String.self, "checksum"))
            }
            var done: [String] = []
            for m in migrations {
                let checksum = try conn.query("SELECT encode(sha256(convert_to(\(m.sql), 'UTF8')), 'hex') AS c")[0].decode(String.self, "c")
                if let existing = applied[m.version] {
                    guard existing.checksum == checksum else {
                        throw BatonError(.conflict, "sql/\(m.name) was changed after it was applied (applied as \(existing.name), checksum \(existing.checksum.prefix(12))…, file now \(checksum.prefix(12))…); restore it and put the change in a new migration")
                    }
                    continue
                }
                try conn.transaction { tx in
                    // A migration runs as long as it needs: a backfill over ten million tasks takes minutes, far over
                    // the 30 s a request's statement may (and a timeout would leave the database unmigrated).
                    try tx.execute("SET LOCAL statement_timeout = 0")
                    try tx.execute(m.sql)
                    try tx.query("INSERT INTO schema_migrations (version, name, checksum) VALUES (\(m.version), \(m.name), \(checksum))")
                }
                done.append(m.name)
            }
            if let newest = applied.keys.max(), newest > migrations.count {
                throw BatonError(.conflict, "the database has migration \(newest), newer than this baton knows (\(migrations.count)); upgrade baton")
            }
            return done
        }
    }
}

extension Migrator {
    /// Migrations not yet applied (the database is not changed).
    public func pending(_ store: BatonStore) async throws -> [String] {
        let migrations = self.migrations
        return try await store.pool.withConnection { conn in
            let exists = try conn.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS e")[0].decode(Bool.self, "e")
            guard exists else { return migrations.map(\.name) }
            let applied = Set(try conn.query("SELECT version FROM schema_migrations").map { try $0.decode(Int.self, "version") })
            return migrations.filter { !applied.contains($0.version) }.map(\.name)
        }
    }
}

import BatonCore
import Foundation
import Postgres

/// What loading a definition did.
public struct LoadedDefinition: Sendable, Hashable {
    public let kind: String  // "workflow" or "calendar"
    public let name: String
    public let version: Int?
    public let changed: Bool
    public let file: String
}

extension BatonStore {
    /// Loads `DIR/*.yaml` as workflows and `DIR/calendars/*.yaml` as calendars, all or nothing.
    ///
    /// A workflow whose content changed gets a new version; running tasks keep the version they
    /// started with. Every file is validated first; the first error names its file and line.
    public func loadDefinitions(directory: String) async throws -> [LoadedDefinition] {
        let fm = FileManager.default
        func yamlFiles(_ dir: String) -> [String] {
            ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { dir + "/" + $0 }
        }
        var workflows: [(file: String, source: String, definition: WorkflowDefinition)] = []
        for file in yamlFiles(directory) {
            let source = try String(contentsOfFile: file, encoding: .utf8)
            workflows.append((file, source, try WorkflowDefinition(yaml: source, file: file)))
        }
        guard !workflows.isEmpty else { throw BatonError.invalid(nil, "no workflow definitions (*.yaml) in \(directory)") }
        if let dup = Dictionary(grouping: workflows, by: { $0.definition.name }).first(where: { $0.value.count > 1 }) {
            throw BatonError.invalid(nil, "workflow \(dup.key) is defined in more than one file: \(dup.value.map(\.file).joined(separator: ", "))")
        }
        var calendars: [(file: String, source: String, calendar: WorkingCalendar)] = []
        for file in yamlFiles(directory + "/calendars") {
            let source = try String(contentsOfFile: file, encoding: .utf8)
            calendars.append((file, source, try WorkingCalendar(yaml: source, file: file)))
        }
        let wf = workflows, cals = calendars
        let result = try await pool.transaction { conn -> [LoadedDefinition] in
            try conn.query("SELECT pg_advisory_xact_lock(7274143012)")
            var out: [LoadedDefinition] = []
            for w in wf {
                let name = w.definition.name
                let hash = try conn.query("SELECT encode(sha256(convert_to(\(w.source), 'UTF8')), 'hex') AS h")[0].decode(String.self, "h")
                if let row = try conn.query("SELECT version FROM workflows WHERE name = \(name) AND hash = \(hash)").single {
                    out.append(LoadedDefinition(kind: "workflow", name: name, version: try row.decode(Int.self, "version"), changed: false, file: w.file))
                    continue
                }
                let row = try conn.query("""
                    INSERT INTO workflows (name, version, hash, source)
                    SELECT \(name), coalesce(max(version), 0) + 1, \(hash), \(w.source) FROM workflows WHERE name = \(name)
                    RETURNING version
                    """)[0]
                out.append(LoadedDefinition(kind: "workflow", name: name, version: try row.decode(Int.self, "version"), changed: true, file: w.file))
            }
            for c in cals {
                let row = try conn.query("""
                    INSERT INTO calendars (name, hash, source) VALUES (\(c.calendar.name), encode(sha256(convert_to(\(c.source), 'UTF8')), 'hex'), \(c.source))
                    ON CONFLICT (name) DO UPDATE SET hash = excluded.hash, source = excluded.source, loaded_at = now()
                        WHERE calendars.hash IS DISTINCT FROM excluded.hash
                    RETURNING name
                    """)
                out.append(LoadedDefinition(kind: "calendar", name: c.calendar.name, version: nil, changed: !row.isEmpty, file: c.file))
            }
            return out
        }
        self.calendars.withLock { $0.removeAll() }
        return result
    }

    /// A stored workflow version, parsed once and cached (stored versions never change).
    func definition(_ conn: PostgresConnection, id: Int64) throws -> WorkflowDefinition {
        if let d = definitions.withLock({ $0[id] }) { return d }
        return try cacheDefinition(id: id, conn.query(Self.definitionQuery(id)).single)
    }

    /// The same, through the pipeline.
    func definition(id: Int64) async throws -> WorkflowDefinition {
        if let d = definitions.withLock({ $0[id] }) { return d }
        return try cacheDefinition(id: id, await statements.query(Self.definitionQuery(id)).single)
    }

    static func definitionQuery(_ id: Int64) -> PostgresQuery {
        "SELECT name, version, source FROM workflows WHERE id = \(id)"
    }

    private func cacheDefinition(id: Int64, _ row: PostgresRow?) throws -> WorkflowDefinition {
        guard let row else { throw BatonError(.internalError, "workflow version \(id) is missing") }
        let d = try WorkflowDefinition(yaml: try row.decode(String.self, "source"),
                                       file: "\(try row.decode(String.self, "name")) v\(try row.decode(Int.self, "version"))")
        definitions.withLock { $0[id] = d }
        return d
    }

    /// The newest version of the workflow `name`.
    func currentWorkflow(_ conn: PostgresConnection, name: String, field: String) throws -> (id: Int64, version: Int, definition: WorkflowDefinition) {
        guard let row = try conn.query("SELECT id, version FROM workflows WHERE name = \(name) ORDER BY version DESC LIMIT 1").single else {
            throw BatonError.invalid(field, "no workflow is named \(name); load it with baton workflow load")
        }
        let id = try row.decode(Int64.self, "id")
        return (id, try row.decode(Int.self, "version"), try definition(conn, id: id))
    }

    /// A loaded calendar by name (cached for half a minute), or nil.
    func calendar(_ conn: PostgresConnection, name: String) throws -> WorkingCalendar? {
        if let hit = cachedCalendar(name) { return hit }
        return try cacheCalendar(name, conn.query(Self.calendarQuery(name)).single)
    }

    /// The same, through the pipeline.
    func calendar(named name: String) async throws -> WorkingCalendar? {
        if let hit = cachedCalendar(name) { return hit }
        return try cacheCalendar(name, await statements.query(Self.calendarQuery(name)).single)
    }

    static func calendarQuery(_ name: String) -> PostgresQuery { "SELECT source FROM calendars WHERE name = \(name)" }

    private func cachedCalendar(_ name: String) -> WorkingCalendar? {
        guard let hit = calendars.withLock({ $0[name] }), ContinuousClock.now - hit.loadedAt < .seconds(30) else { return nil }
        return hit.calendar
    }

    private func cacheCalendar(_ name: String, _ row: PostgresRow?) throws -> WorkingCalendar? {
        guard let row else { return nil }
        let cal = try WorkingCalendar(yaml: try row.decode(String.self, "source"), file: "calendar \(name)")
        calendars.withLock { $0[name] = (cal, ContinuousClock.now) }
        return cal
    }

    /// The deadline context of a plan: its zone and calendar (weekends and fixed holidays if the calendar is gone).
    func deadlines(_ conn: PostgresConnection, zone: String, calendar: String) throws -> DeadlineContext {
        DeadlineContext(zone: TimeZone.named(zone), calendar: try self.calendar(conn, name: calendar) ?? .fallback)
    }

    /// The same, through the pipeline.
    func deadlines(zone: TimeZone, calendar: String) async throws -> DeadlineContext {
        DeadlineContext(zone: zone, calendar: try await self.calendar(named: calendar) ?? .fallback)
    }

    /// The source of the newest stored version of the workflow `name`, or nil.
    public func workflowSource(name: String) async throws -> String? {
        try await pool.withConnection { conn in
            try conn.query("SELECT source FROM workflows WHERE name = \(name) ORDER BY version DESC LIMIT 1").single?.decode(String.self, "source")
        }
    }

}

extension BatonStore {
    /// The newest version of the workflow `name`, or nil.
    public func workflow(named name: String) async throws -> WorkflowDefinition? {
        try await pool.withConnection { conn in
            guard try conn.query("SELECT 1 AS one FROM workflows WHERE name = \(name)").single != nil else { return nil }
            return try self.currentWorkflow(conn, name: name, field: "workflow").definition
        }
    }
}

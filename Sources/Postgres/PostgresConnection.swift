import CLibPQ
import Foundation

/// One libpq connection, used synchronously.
///
/// `@unchecked Sendable` is safe because a connection has exactly one user at a time: the pool
/// hands it to one closure on one thread and takes it back before anyone else may have it.
/// Every method blocks; call them only on the pool's threads, never on an event loop.
public final class PostgresConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    /// SQL text → the statement prepared for it on this connection, and its result columns once seen.
    private var prepared: [String: (name: String, layout: ColumnLayout?)] = [:]
    private static let maxPrepared = 1_000
    private var statementCounter = 0
    /// Set once something in the current unit of work may have been committed — COMMIT was sent,
    /// or a statement outside a transaction block succeeded: after that a broken connection must
    /// not make the pool run the unit again.
    var mayHaveCommitted = false

    /// Opens a connection; blocks until it is ready.
    public init(_ configuration: PostgresConfiguration) throws {
        var keywords: [String] = []
        var values: [String] = []
        if !configuration.connectionString.isEmpty {
            keywords.append("dbname"); values.append(configuration.connectionString)
        }
        keywords.append("application_name"); values.append(configuration.applicationName)
        keywords.append("connect_timeout"); values.append(String(configuration.connectTimeoutSeconds))
        keywords.append("client_encoding"); values.append("UTF8")
        if let db = configuration.overrideDatabase {
            keywords.append("dbname"); values.append(db)
        }
        let conn: OpaquePointer? = withCStrings(keywords) { k in
            withCStrings(values) { v in PQconnectdbParams(k, v, 1) }
        }
        guard let conn, PQstatus(conn) == CONNECTION_OK else {
            let message = conn.flatMap { PQerrorMessage($0) }.map { String(cString: $0).trimmingTrailingNewlines() }
            if let conn { PQfinish(conn) }
            throw PostgresError(code: .connectionFailed, message: message ?? "cannot connect")
        }
        // Notices (e.g. "already exists, skipping") are not errors; never let libpq print them.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        handle = conn
        // No JIT: every statement here is short or reads kept counts, and compiling one (100–140 ms for the national
        // board at 10 million tasks) costs more than it saves.
        try execute("""
            SET statement_timeout = \(max(0, configuration.statementTimeoutMilliseconds));
            SET DateStyle = ISO; SET IntervalStyle = iso_8601; SET TimeZone = 'UTC'; SET jit = off;
            """)
    }

    deinit {
        if let handle { PQfinish(handle) }
    }

    /// Hands the libpq connection over (to `PostgresPipeline`); this object no longer owns it.
    func detachHandle() -> OpaquePointer? {
        defer { handle = nil; prepared.removeAll() }
        return handle
    }

    /// Closes the connection now; later calls fail with `connectionBroken`.
    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
        prepared.removeAll()
    }

    /// True when the connection can no longer be used.
    public var isBroken: Bool {
        guard let handle else { return true }
        return PQstatus(handle) != CONNECTION_OK
    }

    /// True while a transaction block is open (or failed and not yet rolled back).
    public var inTransaction: Bool {
        guard let handle else { return false }
        let s = PQtransactionStatus(handle)
        return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE
    }

    /// Runs one parameterised statement, prepared once per connection and reused.
    @discardableResult
    public func query(_ query: PostgresQuery) throws -> PostgresRows {
        let handle = try liveHandle()
        let autocommit = PQtransactionStatus(handle) == PQTRANS_IDLE
        let rows = try run(query, handle)
        if autocommit, PQtransactionStatus(handle) == PQTRANS_IDLE { mayHaveCommitted = true }
        return rows
    }

    private func run(_ query: PostgresQuery, _ handle: OpaquePointer) throws -> PostgresRows {
        if let entry = prepared[query.sql] {
            let rows = try Self.rows(Self.execPrepared(handle, entry.name, query.binds), handle, layout: entry.layout)
            if entry.layout == nil, !rows.columns.isEmpty { prepared[query.sql] = (entry.name, rows.layout) }
            return rows
        }
        if prepared.count < Self.maxPrepared, !query.plansEachTime {
            statementCounter += 1
            let name = "b\(statementCounter)"
            let prep = PQprepare(handle, name, query.sql, 0, nil)
            defer { PQclear(prep) }
            guard PQresultStatus(prep) == PGRES_COMMAND_OK else {
                throw PostgresError.from(result: prep, connection: handle)
            }
            prepared[query.sql] = (name, nil)
            let rows = try Self.rows(Self.execPrepared(handle, name, query.binds), handle, layout: nil)
            if !rows.columns.isEmpty { prepared[query.sql] = (name, rows.layout) }
            return rows
        }
        let result = Self.withBinds(query.binds) { count, pointers in
            PQexecParams(handle, query.sql, count, nil, pointers, nil, nil, 0)
        }
        return try Self.rows(result, handle, layout: nil)
    }

    /// Runs SQL without parameters through the simple protocol: several statements may be given.
    public func execute(_ sql: String) throws {
        let handle = try liveHandle()
        if sql.range(of: "COMMIT", options: [.caseInsensitive, .anchored]) != nil { mayHaveCommitted = true }
        let autocommit = PQtransactionStatus(handle) == PQTRANS_IDLE
        let result = PQexec(handle, sql)
        _ = try Self.rows(result, handle, layout: nil)
        if autocommit, PQtransactionStatus(handle) == PQTRANS_IDLE { mayHaveCommitted = true }
    }

    private func liveHandle() throws -> OpaquePointer {
        guard let handle else {
            throw PostgresError(code: .connectionBroken, message: "connection is closed")
        }
        return handle
    }

    private static func execPrepared(_ handle: OpaquePointer, _ name: String, _ binds: [String?]) -> OpaquePointer? {
        withBinds(binds) { count, pointers in
            PQexecPrepared(handle, name, count, pointers, nil, nil, 0)
        }
    }

    static func withBinds<R>(_ binds: [String?], _ body: (Int32, UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
        if binds.isEmpty { return body(0, nil) }
        // Copy every value into one buffer of NUL-terminated strings, alive for the call only.
        var offsets: [Int?] = []
        offsets.reserveCapacity(binds.count)
        var bytes: [CChar] = []
        for bind in binds {
            guard let bind else { offsets.append(nil); continue }
            offsets.append(bytes.count)
            bytes.append(contentsOf: bind.utf8CString)
        }
        return bytes.withUnsafeBufferPointer { buffer in
            let pointers: [UnsafePointer<CChar>?] = offsets.map { $0.map { buffer.baseAddress! + $0 } }
            return pointers.withUnsafeBufferPointer { body(Int32(binds.count), $0.baseAddress) }
        }
    }

    static func rows(_ result: OpaquePointer?, _ handle: OpaquePointer, layout known: ColumnLayout?) throws -> PostgresRows {
        guard let result else { throw PostgresError.from(result: nil, connection: handle) }
        defer { PQclear(result) }
        return try rows(borrowing: result, handle, layout: known)
    }

    /// Copies a result into Swift values; the caller keeps ownership of `result`.
    static func rows(borrowing result: OpaquePointer, _ handle: OpaquePointer?, layout known: ColumnLayout?) throws -> PostgresRows {
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE:
            let nrows = Int(PQntuples(result)), ncols = Int(PQnfields(result))
            let layout: ColumnLayout
            if let known, known.names.count == ncols {
                layout = known
            } else {
                layout = ColumnLayout(names: (0..<ncols).map { String(cString: PQfname(result, Int32($0))) })
            }
            var values: [String?] = []
            values.reserveCapacity(nrows * ncols)
            for r in 0..<Int32(nrows) {
                for c in 0..<Int32(ncols) {
                    if PQgetisnull(result, r, c) == 1 {
                        values.append(nil)
                    } else {
                        let length = Int(PQgetlength(result, r, c))
                        let pointer = UnsafeRawPointer(PQgetvalue(result, r, c)!)
                        values.append(String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self))
                    }
                }
            }
            return PostgresRows(layout: layout, values: values, affectedRows: nrows)
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
            return PostgresRows(layout: .empty, values: [], affectedRows: affected)
        default:
            throw PostgresError.from(result: result, connection: handle)
        }
    }

    /// Waits up to `timeout` seconds for `NOTIFY` messages on channels this connection LISTENs to.
    /// Returns the payloads received (possibly none); throws when the connection breaks.
    public func waitForNotifications(timeout: Double) throws -> [(channel: String, payload: String)] {
        let handle = try liveHandle()
        var out = drainNotifications(handle)
        if !out.isEmpty { return out }
        let socket = PQsocket(handle)
        guard socket >= 0 else { throw PostgresError(code: .connectionBroken, message: "no socket") }
        var fd = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let ready = poll(&fd, 1, Int32(timeout * 1000))
        if ready > 0 {
            guard PQconsumeInput(handle) == 1 else {
                throw PostgresError.from(result: nil, connection: handle)
            }
            out = drainNotifications(handle)
        }
        if PQstatus(handle) != CONNECTION_OK {
            throw PostgresError(code: .connectionBroken, message: "connection lost while listening")
        }
        return out
    }

    private func drainNotifications(_ handle: OpaquePointer) -> [(channel: String, payload: String)] {
        var out: [(String, String)] = []
        while let n = PQnotifies(handle) {
            out.append((String(cString: n.pointee.relname), String(cString: n.pointee.extra)))
            PQfreemem(n)
        }
        return out
    }
}

private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    var storage = strings.map { strdup($0) }
    storage.append(nil)
    defer { for p in storage { free(p) } }
    return storage.withUnsafeBufferPointer { buffer in
        buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) { body($0) }
    }
}

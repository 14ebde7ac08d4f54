import BatonCore
import Foundation
import Postgres

/// A column of a per-agency report (the board, the statistics). Its raw value is its one name:
/// the JSON field, the CSV and table column, and the SQL alias; the report's query, decoder,
/// JSON writer and CSV all follow the order of `allCases`.
public protocol ReportColumn: RawRepresentable<String>, CaseIterable, Hashable, Sendable where AllCases == [Self] {
    /// What the query counts for the column, or nil for a column derived from the others.
    var count: ReportCount? { get }
    /// The same count read from the counts kept by the transactions (sql/0015_kept_counts.sql): which tally rows
    /// `k` (`k.measure`, `k.at`) it adds up, against the clock `now.t`. Nil for a derived column. The tests hold the
    /// two equal for every filter and state.
    var kept: ReportCount? { get }
    /// A derived column's value (a rate), from the counted ones.
    func derived(_ count: (Self) -> Int) -> Double?
    /// What a report asks of its columns for every cell, worked out once: each column type keeps it
    /// (`static let layout = ReportLayout<Self>()`).
    static var layout: ReportLayout<Self> { get }
    /// The column's place in `allCases`.
    var position: Int { get }
}

/// A report's columns as its rows are read and written: in the order of `allCases`, whether each is counted
/// (`count != nil`), and each one's JSON key.
public struct ReportLayout<Column: ReportColumn>: Sendable {
    let columns: [Column]
    let isCounted: [Bool]
    let keys: [[UInt8]]
    /// The counted columns, in order.
    let counted: [Column]

    public init() {
        columns = Column.allCases
        isCounted = columns.map { $0.count != nil }
        keys = columns.map { JSONWriter.quotedKey($0.rawValue) }
        counted = zip(columns, isCounted).filter(\.1).map(\.0)
    }
}

extension ReportColumn {
    public func derived(_ count: (Self) -> Int) -> Double? { nil }
    public var position: Int { Self.layout.columns.firstIndex(of: self)! }
}

/// How a report column is counted: over an agency's own tasks (`t`, in the `lead` part of the
/// query) or over its cooperating parts (`c`, in the `coop` part), the rows `filter` keeps.
public struct ReportCount: Sendable {
    public enum Source: String, Sendable { case lead = "l", coop = "c" }
    let source: Source
    let filter: PostgresQuery?

    static func lead(_ filter: PostgresQuery? = nil) -> ReportCount { ReportCount(source: .lead, filter: filter) }
    static func coop(_ filter: PostgresQuery? = nil) -> ReportCount { ReportCount(source: .coop, filter: filter) }
}

/// One agency's row of a report: its counts, column by column.
public struct AgencyCounts<Column: ReportColumn>: Sendable, Hashable, JSONWritable {
    public let agency: String
    public let name: String
    /// Every column's count, in the order of `allCases` (0 for a derived column).
    let counts: [Int]

    /// A counted column's value.
    public subscript(_ column: Column) -> Int { counts[column.position] }

    /// A derived column's value.
    public func derived(_ column: Column) -> Double? { column.derived { self[$0] } }

    /// Agencies by code, in byte order (the order reports break ties in).
    public static func byCode(_ a: Self, _ b: Self) -> Bool { a.agency.utf8.lexicographicallyPrecedes(b.agency.utf8) }

    /// Every column's name, in order, as JSON, CSV and tables show them.
    public static var columns: [String] { ["agency", "name"] + Column.allCases.map(\.rawValue) }

    /// The row as text, column by column (rates to four places).
    public var fields: [String] {
        let layout = Column.layout
        return [agency, name] + layout.columns.enumerated().map { i, c in
            guard !layout.isCounted[i] else { return String(counts[i]) }
            return derived(c).map { JSONValue.number(($0 * 10_000).rounded() / 10_000).jsonText } ?? ""
        }
    }

    public func write(to w: inout JSONWriter) {
        w.openObject()
        w.field("agency", agency)
        w.field("name", name)
        let layout = Column.layout
        for i in layout.columns.indices {
            w.key(quoted: layout.keys[i])
            if layout.isCounted[i] {
                w.int(Int64(counts[i]))
            } else if let rate = derived(layout.columns[i]) {
                w.double(rate)
            } else {
                w.raw("null")
            }
        }
        w.closeObject()
    }

    /// A row of the given counts (0 for the columns not given).
    init(agency: String, name: String, _ values: [Column: Int]) {
        self.agency = agency
        self.name = name
        counts = Column.layout.columns.map { values[$0] ?? 0 }
    }

    /// Reads a row of the report's query: `code`, `name`, then every counted column in order (`totals`).
    init(row: PostgresRow) throws {
        guard row.columnCount == 2 + Column.layout.counted.count else {
            throw PostgresError(code: .client, message: "a report row has \(row.columnCount) columns, not code, name and each counted one")
        }
        agency = try row.decode(String.self, column: 0)
        name = try row.decode(String.self, column: 1)
        var counts: [Int] = []
        let layout = Column.layout
        counts.reserveCapacity(layout.columns.count)
        var next = 2
        for counted in layout.isCounted {
            if counted { counts.append(try row.decode(Int.self, column: next)); next += 1 } else { counts.append(0) }
        }
        self.counts = counts
    }

    /// The counts of `source` as a select list: `count(*) FILTER (WHERE …) AS name, …`.
    static func counted(from source: ReportCount.Source) -> PostgresQuery {
        var q: PostgresQuery = ""
        for c in Column.allCases {
            guard let count = c.count, count.source == source else { continue }
            if !q.sql.isEmpty { q = q + ", " }
            q = q + "count(*)"
            if let filter = count.filter { q = q + " FILTER (WHERE " + filter + ")" }
            q = q + PostgresQuery(unsafeSQL: " AS \(c.rawValue)")  // a column's name, never user text
        }
        return q
    }

    /// The kept counts of `source` as a select list: `coalesce(sum(k.n) FILTER (WHERE …), 0)::bigint AS name, …`.
    static func kept(from source: ReportCount.Source) -> PostgresQuery {
        var q: PostgresQuery = ""
        for c in Column.allCases {
            guard let kept = c.kept, kept.source == source else { continue }
            if !q.sql.isEmpty { q = q + ", " }
            q = q + "coalesce(sum(k.n)"
            if let filter = kept.filter { q = q + " FILTER (WHERE " + filter + ")" }
            q = q + PostgresQuery(unsafeSQL: ", 0)::bigint AS \(c.rawValue)")  // a column's name, never user text
        }
        return q
    }

    /// Every counted column of the rows `alias`, in order: `n.name, …`.
    static func counted(in alias: String) -> PostgresQuery {
        // Names of Baton's own columns and aliases, never user text.
        PostgresQuery(unsafeSQL: Column.layout.counted.map { "\(alias).\($0.rawValue)" }.joined(separator: ", "))
    }

    /// Every counted column as the sum of the rows `a` and `b`, either missing: `coalesce(a.name, 0) + coalesce(b.name, 0) AS name, …`.
    static func sums(_ a: String, _ b: String) -> PostgresQuery {
        // Names of Baton's own columns and aliases, never user text.
        PostgresQuery(unsafeSQL: Column.layout.counted
            .map { "coalesce(\(a).\($0.rawValue), 0) + coalesce(\(b).\($0.rawValue), 0) AS \($0.rawValue)" }.joined(separator: ", "))
    }

    /// Every counted column, zero where its part has no row: `coalesce(l.name, 0) AS name, …`.
    static var totals: PostgresQuery {
        var q: PostgresQuery = ""
        for c in Column.allCases {
            guard let count = c.count else { continue }
            if !q.sql.isEmpty { q = q + ", " }
            // Names of Baton's own columns, never user text.
            q = q + PostgresQuery(unsafeSQL: "coalesce(\(count.source.rawValue).\(c.rawValue), 0) AS \(c.rawValue)")
        }
        return q
    }
}

/// The rows a statement returned, already copied out of libpq into Swift values.
public struct PostgresRows: Sendable, RandomAccessCollection {
    let layout: ColumnLayout
    let values: [String?]
    /// Rows affected by an INSERT, UPDATE or DELETE (or returned by a SELECT).
    public let affectedRows: Int

    /// Column names in order.
    public var columns: [String] { layout.names }
    var index: [String: Int] { layout.index }

    init(layout: ColumnLayout, values: [String?], affectedRows: Int) {
        self.layout = layout
        self.values = values
        self.affectedRows = affectedRows
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { columns.isEmpty ? 0 : values.count / columns.count }

    public subscript(position: Int) -> PostgresRow {
        PostgresRow(rows: self, offset: position * columns.count)
    }

    /// The only row, or nil when there is none.
    public var single: PostgresRow? { isEmpty ? nil : self[0] }
}

/// One row of `PostgresRows`.
public struct PostgresRow: Sendable {
    let rows: PostgresRows
    let offset: Int

    /// The raw text of a column, nil for NULL.
    public subscript(column: String) -> String? {
        guard let i = rows.index[column] else { return nil }
        return rows.values[offset + i]
    }

    /// Decodes a column by name.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, _ column: String) throws -> T {
        guard let i = rows.index[column] else {
            throw PostgresError(code: .client, message: "no column named \(column) in the result")
        }
        return try decode(type, column: i)
    }

    /// How many columns the row has.
    public var columnCount: Int { rows.columns.count }

    /// Decodes a column by its place in the result (from 0), for rows read by the thousand.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, column i: Int) throws -> T {
        guard i >= 0, i < rows.columns.count else {
            throw PostgresError(code: .client, message: "no column \(i) in the result")
        }
        do {
            return try T.decode(postgresText: rows.values[offset + i])
        } catch let error as PostgresError {
            throw PostgresError(code: .client, message: "column \(rows.columns[i]): \(error.message)")
        }
    }
}

/// Column names and their positions; a prepared statement's layout is computed once and shared.
final class ColumnLayout: Sendable {
    let names: [String]
    let index: [String: Int]

    init(names: [String]) {
        self.names = names
        var index: [String: Int] = [:]
        for (i, c) in names.enumerated() where index[c] == nil { index[c] = i }
        self.index = index
    }

    static let empty = ColumnLayout(names: [])
}

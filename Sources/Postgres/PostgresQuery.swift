/// SQL with its parameters: each interpolated value becomes `$N` and travels as a bind, never as SQL text.
///
///     let q: PostgresQuery = "SELECT name FROM agencies WHERE code = \(code)"
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The statement, with `$1`, `$2`… placeholders.
    public private(set) var sql: String
    /// The parameters in text format; `nil` is NULL.
    public private(set) var binds: [String?]
    /// Planned for its own values every time it runs instead of prepared once per connection (`plannedEachTime`).
    public private(set) var plansEachTime = false

    public init(unsafeSQL sql: String, binds: [String?] = []) {
        self.sql = sql
        self.binds = binds
    }

    public init(stringLiteral value: String) {
        self.sql = value
        self.binds = []
    }

    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.binds = stringInterpolation.binds
    }

    /// Appends another query, renumbering its placeholders.
    public mutating func append(_ other: PostgresQuery) {
        sql += Self.renumber(other.sql, by: binds.count)
        binds += other.binds
    }

    public static func + (lhs: PostgresQuery, rhs: PostgresQuery) -> PostgresQuery {
        var q = lhs
        q.append(rhs)
        return q
    }

    /// The same query, planned for its values every time it runs (an unnamed statement) rather than prepared once
    /// and reused: for the reports, whose best plan depends on how big the counted tables are and on the values, and
    /// which a cached generic plan made on a younger table can slow a hundredfold. Planning costs about a millisecond.
    public var plannedEachTime: PostgresQuery {
        var q = self
        q.plansEachTime = true
        return q
    }

    /// The SQL only; bound values are never printed.
    public var description: String { sql }

    static func renumber(_ sql: String, by offset: Int) -> String {
        guard offset > 0 else { return sql }
        var out = ""
        out.reserveCapacity(sql.utf8.count + 8)
        var it = sql.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = it.next()
        while let c = pending {
            pending = it.next()
            guard c == "$", let first = pending, first.properties.numericType != nil, first.isASCII else {
                out.unicodeScalars.append(c)
                continue
            }
            var digits = ""
            while let d = pending, d.isASCII, d.properties.numericType != nil {
                digits.unicodeScalars.append(d)
                pending = it.next()
            }
            out += "$\(Int(digits)! + offset)"
        }
        return out
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var binds: [String?] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// Binds a value as the next `$N`.
        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            binds.append(value.postgresText)
            sql += "$\(binds.count)"
        }

        /// Binds an optional value (NULL when nil).
        public mutating func appendInterpolation(_ value: (some PostgresEncodable)?) {
            binds.append(value?.postgresText)
            sql += "$\(binds.count)"
        }

        /// Inserts a query fragment, renumbering its placeholders.
        public mutating func appendInterpolation(fragment: PostgresQuery) {
            sql += PostgresQuery.renumber(fragment.sql, by: binds.count)
            binds += fragment.binds
        }
    }
}

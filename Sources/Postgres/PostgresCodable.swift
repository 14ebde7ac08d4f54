import CivilTime
import Foundation

/// A Swift value that travels to PostgreSQL as a bound parameter in text format.
public protocol PostgresEncodable: Sendable {
    /// The parameter's text representation; `nil` binds SQL NULL.
    var postgresText: String? { get }
}

/// A Swift value read from a column in text format.
public protocol PostgresDecodable: Sendable {
    /// Decodes a column value; `text` is `nil` for SQL NULL.
    static func decode(postgresText text: String?) throws -> Self
}

public typealias PostgresCodable = PostgresEncodable & PostgresDecodable

func decodingError(_ type: Any.Type, _ text: String?) -> PostgresError {
    PostgresError(code: .client, message: "cannot decode \(text.map { "'\($0.prefix(40))'" } ?? "NULL") as \(type)")
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresText: String? { self?.postgresText }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(postgresText text: String?) throws -> Self {
        guard let text else { return nil }
        return try Wrapped.decode(postgresText: text)
    }
}

extension String: PostgresCodable {
    public var postgresText: String? { self }
    public static func decode(postgresText text: String?) throws -> String {
        guard let text else { throw decodingError(String.self, nil) }
        return text
    }
}

extension Int: PostgresCodable {
    public var postgresText: String? { String(self) }
    public static func decode(postgresText text: String?) throws -> Int {
        guard let text, let v = Int(text) else { throw decodingError(Int.self, text) }
        return v
    }
}

extension Int64: PostgresCodable {
    public var postgresText: String? { String(self) }
    public static func decode(postgresText text: String?) throws -> Int64 {
        guard let text, let v = Int64(text) else { throw decodingError(Int64.self, text) }
        return v
    }
}

extension Double: PostgresCodable {
    public var postgresText: String? { self.isFinite ? String(self) : nil }
    public static func decode(postgresText text: String?) throws -> Double {
        guard let text, let v = Double(text) else { throw decodingError(Double.self, text) }
        return v
    }
}

extension Bool: PostgresCodable {
    public var postgresText: String? { self ? "t" : "f" }
    public static func decode(postgresText text: String?) throws -> Bool {
        switch text {
        case "t", "true": return true
        case "f", "false": return false
        default: throw decodingError(Bool.self, text)
        }
    }
}

extension UUID: PostgresCodable {
    public var postgresText: String? { lower }
    public static func decode(postgresText text: String?) throws -> UUID {
        guard let text, let v = UUID(hex: text) else { throw decodingError(UUID.self, text) }
        return v
    }
}

extension Date: PostgresCodable {
    /// Microsecond precision, UTC, ISO 8601: what `timestamptz` stores.
    public var postgresText: String? { RFC3339.formatMicroseconds(self) }

    /// Reads `timestamptz` as PostgreSQL prints it with `DateStyle=ISO` (any offset).
    public static func decode(postgresText text: String?) throws -> Date {
        guard let text, let date = RFC3339.parse(postgres: text) else { throw decodingError(Date.self, text) }
        return date
    }
}

/// A value that can be an element of a bound array (`text[]`, `bigint[]`, `uuid[]`).
public protocol PostgresArrayElement: PostgresEncodable {}
extension String: PostgresArrayElement {}
extension Int: PostgresArrayElement {}
extension Int64: PostgresArrayElement {}
extension UUID: PostgresArrayElement {}
extension Date: PostgresArrayElement {}
extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement {}

/// Arrays bind as an array literal: every element quoted, NULL for nil text.
extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public var postgresText: String? {
        var out = "{"
        for (i, element) in enumerated() {
            if i > 0 { out += "," }
            guard let text = element.postgresText else { out += "NULL"; continue }
            out += "\""
            for ch in text.unicodeScalars {
                if ch == "\"" || ch == "\\" { out += "\\" }
                out.unicodeScalars.append(ch)
            }
            out += "\""
        }
        return out + "}"
    }
}

/// Reads `bigint[]` as PostgreSQL prints it: `{1,2,3}`.
extension Array: PostgresDecodable where Element == Int64 {
    public static func decode(postgresText text: String?) throws -> [Int64] {
        guard let text, text.hasPrefix("{"), text.hasSuffix("}") else { throw decodingError([Int64].self, text) }
        let inner = text.dropFirst().dropLast()
        if inner.isEmpty { return [] }
        return try inner.split(separator: ",").map {
            guard let v = Int64($0) else { throw decodingError([Int64].self, text) }
            return v
        }
    }
}

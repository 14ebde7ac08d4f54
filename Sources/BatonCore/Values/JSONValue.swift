import Foundation

/// A JSON (or YAML 1.2 core schema) value: request bodies, event params, plan documents.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n):
            if n.rounded() == n, abs(n) < 1e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// Parses JSON text; a syntax error is `malformed`.
    public static func parse(json data: Data) throws -> JSONValue {
        try JSONParser.parse([UInt8](data))
    }

    /// Compact JSON with sorted keys (stable for hashing and storage).
    public var jsonText: String {
        var w = JSONWriter()
        w.value(self)
        return w.text
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// A string; nil for anything else (a number is not text: `5` is no code, no date, no name).
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// A whole number (never from a string: `"5"` is not a count).
    public var intValue: Int? {
        switch self {
        case .number(let n) where n.rounded() == n && abs(n) < 1e15: return Int(n)
        default: return nil
        }
    }

    public var isNull: Bool { self == .null }
}

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
    public var postgresText: String? { lowerHex }
    public static func decode(postgresText text: String?) throws -> UUID {
        guard let text, let v = UUID(hex: text) else { throw decodingError(UUID.self, text) }
        return v
    }
}

extension Date: PostgresCodable {
    /// Microsecond precision, UTC, ISO 8601: what `timestamptz` stores.
    public var postgresText: String? {
        let micros = (timeIntervalSince1970 * 1_000_000).rounded()
        let seconds = Int64((micros / 1_000_000).rounded(.down))
        let fraction = Int64(micros) - seconds * 1_000_000
        let (y, m, d, hh, mm, ss) = civil(fromUnixSeconds: seconds)
        var out: [UInt8] = []
        out.reserveCapacity(27)
        func put(_ v: Int, _ width: Int) {
            var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
            var n = v
            for i in stride(from: width - 1, through: 0, by: -1) { digits[i] = UInt8(ascii: "0") + UInt8(n % 10); n /= 10 }
            out += digits
        }
        put(y, 4); out.append(UInt8(ascii: "-")); put(m, 2); out.append(UInt8(ascii: "-")); put(d, 2)
        out.append(UInt8(ascii: "T")); put(hh, 2); out.append(UInt8(ascii: ":")); put(mm, 2); out.append(UInt8(ascii: ":")); put(ss, 2)
        out.append(UInt8(ascii: ".")); put(Int(fraction), 6); out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads `timestamptz` as PostgreSQL prints it with `DateStyle=ISO` (any offset).
    public static func decode(postgresText text: String?) throws -> Date {
        guard let text, let date = parseTimestamp(text) else { throw decodingError(Date.self, text) }
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

// MARK: - Calendar arithmetic without Foundation's Calendar (fast, exact, UTC).

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (m + 9) % 12
    let doy = (153 * mp + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
}

func civil(fromUnixSeconds s: Int64) -> (Int, Int, Int, Int, Int, Int) {
    var days = Int(s / 86400)
    var rem = Int(s % 86400)
    if rem < 0 { rem += 86400; days -= 1 }
    let z = days + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
    return (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Parses `YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM[:SS]]]` (PostgreSQL's ISO output).
func parseTimestamp(_ text: String) -> Date? {
    let u = Array(text.utf8)
    var i = 0
    func number(_ count: Int) -> Int? {
        guard i + count <= u.count else { return nil }
        var v = 0
        for k in 0..<count {
            let c = u[i + k]
            guard c >= 48 && c <= 57 else { return nil }
            v = v * 10 + Int(c - 48)
        }
        i += count
        return v
    }
    func expect(_ c: UInt8) -> Bool {
        guard i < u.count, u[i] == c else { return false }
        i += 1
        return true
    }
    guard let y = number(4), expect(45), let mo = number(2), expect(45), let d = number(2) else { return nil }
    guard i < u.count, u[i] == 32 || u[i] == 84 else { return nil }
    i += 1
    guard let hh = number(2), expect(58), let mi = number(2), expect(58), let ss = number(2) else { return nil }
    var micros = 0
    if i < u.count, u[i] == 46 {
        i += 1
        var digits = 0
        while i < u.count, u[i] >= 48 && u[i] <= 57 {
            if digits < 6 { micros = micros * 10 + Int(u[i] - 48) }
            digits += 1
            i += 1
        }
        for _ in digits..<6 where digits < 6 { micros *= 10 }
    }
    var offset = 0
    if i < u.count {
        let sign: Int
        switch u[i] {
        case 43: sign = 1
        case 45: sign = -1
        case 90: sign = 0
        default: return nil
        }
        i += 1
        if sign != 0 {
            guard let oh = number(2) else { return nil }
            var om = 0, os = 0
            if expect(58) { guard let v = number(2) else { return nil }; om = v }
            if expect(58) { guard let v = number(2) else { return nil }; os = v }
            offset = sign * (oh * 3600 + om * 60 + os)
        }
    }
    guard i == u.count else { return nil }
    let days = daysFromCivil(y, mo, d)
    let seconds = Int64(days) * 86400 + Int64(hh * 3600 + mi * 60 + ss) - Int64(offset)
    return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
}

extension UUID {
    /// Parses the canonical 8-4-4-4-12 hex form (either case) without Foundation's scanf.
    public init?(hex text: String) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        var high: UInt8?
        var count = 0
        for c in text.utf8 {
            count += 1
            if c == UInt8(ascii: "-") {
                guard high == nil, [9, 14, 19, 24].contains(count) else { return nil }
                continue
            }
            let v: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): v = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let h = high { bytes.append(h << 4 | v); high = nil } else { high = v }
        }
        guard count == 36, bytes.count == 16, high == nil else { return nil }
        self.init(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                         bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    /// The lower-case canonical form, without Foundation's printf.
    public var lowerHex: String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        withUnsafeBytes(of: uuid) { raw in
            for (i, b) in raw.enumerated() {
                if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

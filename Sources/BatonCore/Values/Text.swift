import Foundation

/// Checks for the text fields everyone shares.
public enum Text {
    // Compiled once: a regex literal is parsed each time it is evaluated (an import of 50,000 rows).
    nonisolated(unsafe) static let codePattern = /[A-Za-z0-9][A-Za-z0-9._-]{0,63}/
    nonisolated(unsafe) static let kindPattern = /[a-z][a-z0-9_]{0,63}/

    /// Agency codes: ASCII letters, digits, `.`, `_`, `-`; 1 to 64 characters.
    public static func code(_ s: String, field: String) throws -> String {
        guard s.wholeMatch(of: codePattern) != nil else {
            throw BatonError.invalid(field, s.isEmpty ? "an agency code is required" : "'\(s.prefix(70))' is not an agency code (letters, digits, . _ -; up to 64)")
        }
        return s
    }

    /// Agency kinds: lower_snake_case data such as `police` or `school`.
    public static func kind(_ s: String, field: String) throws -> String {
        guard s.wholeMatch(of: kindPattern) != nil else {
            throw BatonError.invalid(field, "'\(s.prefix(70))' is not a kind (lower_snake_case, e.g. police, school)")
        }
        return s
    }

    /// A day written `YYYY-MM-DD`, real and in `LocalDate.years`.
    public static func date(_ s: String, field: String) throws -> LocalDate {
        guard let day = LocalDate(s) else {
            throw BatonError.invalid(field, "'\(s.prefix(40))' is not a real date in the form YYYY-MM-DD (years 1900 to 2999)")
        }
        return day
    }

    /// An id (a UUID, either case); `what` names it in the error ("a plan id").
    public static func id(_ s: String, field: String, what: String = "an id") throws -> UUID {
        guard let id = UUID(hex: s) else { throw BatonError.invalid(field, "'\(s.prefix(60))' is not \(what)") }
        return id
    }

    /// A JSON string, else 422 naming `field`: a number, a boolean, a list or an object is not text.
    public static func string(_ value: JSONValue, field: String) throws -> String {
        guard case .string(let s) = value else { throw BatonError.invalid(field, "must be text") }
        return s
    }

    /// Human text, exactly as given: not blank, at most `max` characters, no control characters
    /// (new lines and tabs are allowed where `multiline`).
    public static func words(_ value: JSONValue?, field: String, max: Int, multiline: Bool = false, required: Bool = true) throws -> String? {
        guard let value, !value.isNull else {
            if required { throw BatonError.invalid(field, "is required") }
            return nil
        }
        let s = try string(value, field: field)
        // Text is data: stored exactly as sent; only blank text counts as missing.
        if s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            if required { throw BatonError.invalid(field, "must not be empty") }
            return nil
        }
        guard s.count <= max else { throw BatonError.invalid(field, "is longer than \(max) characters") }
        for u in s.unicodeScalars where u.properties.generalCategory == .control {
            if multiline && (u == "\n" || u == "\r" || u == "\t") { continue }
            throw BatonError.invalid(field, "must not contain control characters (U+\(String(u.value, radix: 16, uppercase: true)))")
        }
        return s
    }
}

/// Who leads a task: one agency, or a fan-out to a group.
public enum LeadForm: Sendable, Hashable {
    /// One agency, by code.
    case agency(String)
    /// Every active agency below this one, at any depth (not the agency itself).
    case eachUnder(String)
    /// Every active agency of this kind within the issuer's jurisdiction (the agencies below the
    /// issuer's parent, or below the issuer when it has none); with `under`, only those below that agency,
    /// which must lie within the jurisdiction.
    case eachOfKind(String, under: String? = nil)

    /// Reads a code, `{"each_under": CODE}`, `{"each_of_kind": KIND}` or `{"each_of_kind": KIND, "under": CODE}`.
    public init(json: JSONValue, field: String) throws {
        if let code = json.stringValue, case .string = json {
            self = .agency(try Text.code(code, field: field))
            return
        }
        let forms = "must be an agency code, {\"each_under\": CODE}, {\"each_of_kind\": KIND} or {\"each_of_kind\": KIND, \"under\": CODE}"
        guard let o = json.objectValue, !o.isEmpty else { throw BatonError.invalid(field, forms) }
        if let v = o["each_under"] {
            guard o.count == 1 else { throw BatonError.invalid(field, "each_under stands alone; " + forms) }
            self = .eachUnder(try Text.code(try Self.text(v, field: "\(field).each_under"), field: "\(field).each_under"))
        } else if let v = o["each_of_kind"] {
            if let extra = o.keys.sorted().first(where: { $0 != "each_of_kind" && $0 != "under" }) {
                throw BatonError.invalid("\(field).\(extra)", "is not part of a fan-out; each_of_kind takes only under")
            }
            let kind = try Text.kind(try Self.text(v, field: "\(field).each_of_kind"), field: "\(field).each_of_kind")
            let under = try o["under"].map { try Text.code(try Self.text($0, field: "\(field).under"), field: "\(field).under") }
            self = .eachOfKind(kind, under: under)
        } else {
            throw BatonError.invalid(field, "unknown fan-out '\(o.keys.sorted()[0])'; use each_under or each_of_kind")
        }
    }

    private static func text(_ value: JSONValue, field: String) throws -> String {
        guard case .string(let s) = value else { throw BatonError.invalid(field, "must be text") }
        return s
    }

    public var json: JSONValue {
        switch self {
        case .agency(let c): .string(c)
        case .eachUnder(let c): .object(["each_under": .string(c)])
        case .eachOfKind(let k, let under):
            .object(under.map { ["each_of_kind": .string(k), "under": .string($0)] } ?? ["each_of_kind": .string(k)])
        }
    }

    public var isFanOut: Bool {
        if case .agency = self { return false }
        return true
    }
}

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

    /// Human text, exactly as given: not blank, at most `max` characters, no control characters
    /// (new lines and tabs are allowed where `multiline`).
    public static func words(_ value: JSONValue?, field: String, max: Int, multiline: Bool = false, required: Bool = true) throws -> String? {
        guard let value, !value.isNull else {
            if required { throw BatonError.invalid(field, "is required") }
            return nil
        }
        guard case .string(let s) = value else { throw BatonError.invalid(field, "must be text") }
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

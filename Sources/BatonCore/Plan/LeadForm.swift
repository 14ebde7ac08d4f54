/// Who leads a task: one agency, or a fan-out to a group.
public enum LeadForm: Sendable, Hashable {
    /// One agency, by code.
    case agency(String)
    /// Every active agency below this one, at any depth (not the agency itself).
    case eachUnder(String)
    /// Every active agency of this kind.
    case eachOfKind(String)

    /// Reads a code, `{"each_under": CODE}` or `{"each_of_kind": KIND}`.
    public init(json: JSONValue, field: String) throws {
        if let code = json.stringValue, case .string = json {
            self = .agency(try Text.code(code, field: field))
            return
        }
        guard let o = json.objectValue, o.count == 1, let (k, v) = o.first else {
            throw BatonError.invalid(field, "must be an agency code, {\"each_under\": CODE} or {\"each_of_kind\": KIND}")
        }
        switch k {
        case "each_under": self = .eachUnder(try Text.code(v.stringValue ?? "", field: "\(field).each_under"))
        case "each_of_kind": self = .eachOfKind(try Text.kind(v.stringValue ?? "", field: "\(field).each_of_kind"))
        default: throw BatonError.invalid(field, "unknown fan-out '\(k)'; use each_under or each_of_kind")
        }
    }

    public var json: JSONValue {
        switch self {
        case .agency(let c): .string(c)
        case .eachUnder(let c): .object(["each_under": .string(c)])
        case .eachOfKind(let k): .object(["each_of_kind": .string(k)])
        }
    }

    public var isFanOut: Bool {
        if case .agency = self { return false }
        return true
    }
}

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
        if case .string(let code) = json {
            self = .agency(try Text.code(code, field: field))
            return
        }
        let forms = "must be an agency code, {\"each_under\": CODE}, {\"each_of_kind\": KIND} or {\"each_of_kind\": KIND, \"under\": CODE}"
        guard let o = json.objectValue, !o.isEmpty else { throw BatonError.invalid(field, forms) }
        if let v = o["each_under"] {
            guard o.count == 1 else { throw BatonError.invalid(field, "each_under stands alone; " + forms) }
            self = .eachUnder(try Text.code(try Text.string(v, field: "\(field).each_under"), field: "\(field).each_under"))
        } else if let v = o["each_of_kind"] {
            if let extra = o.keys.sorted().first(where: { $0 != "each_of_kind" && $0 != "under" }) {
                throw BatonError.invalid("\(field).\(extra)", "is not part of a fan-out; each_of_kind takes only under")
            }
            let kind = try Text.kind(try Text.string(v, field: "\(field).each_of_kind"), field: "\(field).each_of_kind")
            let under = try o["under"].map { try Text.code(try Text.string($0, field: "\(field).under"), field: "\(field).under") }
            self = .eachOfKind(kind, under: under)
        } else {
            throw BatonError.invalid(field, "unknown fan-out '\(o.keys.sorted()[0])'; use each_under or each_of_kind")
        }
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

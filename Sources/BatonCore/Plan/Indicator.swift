/// A measurable target of a plan (chỉ tiêu): "70% học sinh … được tuyên truyền", "kéo giảm 10% số vụ".
public struct Indicator: Sendable, Hashable {
    public enum Unit: String, Sendable, Hashable, CaseIterable { case percent, count }

    public enum Direction: String, Sendable, Hashable, CaseIterable {
        /// The value must reach the target or more.
        case atLeast = "at_least"
        /// The value must stay at the target or less.
        case atMost = "at_most"
        /// The value must fall by `target` percent from `baseline`.
        case reduceBy = "reduce_by"
    }

    public let key: String
    public let name: String
    public let unit: Unit
    public let direction: Direction
    public let target: Double
    public let baseline: Double?
    /// Who reports values; nil means the plan's monitor.
    public let reportedBy: LeadForm?

    public init(json: JSONValue, field: String) throws {
        guard let o = json.objectValue else { throw BatonError.invalid(field, "an indicator must be an object") }
        let allowed: Set<String> = ["key", "name", "unit", "direction", "target", "baseline", "reported_by"]
        if let extra = o.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw BatonError.invalid("\(field).\(extra)", "is not a field of an indicator")
        }
        guard let key = o["key"]?.stringValue, key.wholeMatch(of: /[a-z0-9][a-z0-9._-]{0,63}/) != nil else {
            throw BatonError.invalid("\(field).key", "must be lower-case letters, digits, . _ - (up to 64)")
        }
        self.key = key
        name = try Text.words(o["name"], field: "\(field).name", max: 1_000)!
        guard let u = o["unit"]?.stringValue.flatMap(Unit.init(rawValue:)) else {
            throw BatonError.invalid("\(field).unit", "must be percent or count")
        }
        unit = u
        guard let d = o["direction"]?.stringValue.flatMap(Direction.init(rawValue:)) else {
            throw BatonError.invalid("\(field).direction", "must be at_least, at_most or reduce_by")
        }
        direction = d
        guard case .number(let t)? = o["target"], t.isFinite, t >= 0 else {
            throw BatonError.invalid("\(field).target", "must be a number of 0 or more")
        }
        if (u == .percent || d == .reduceBy) && t > 100 {
            throw BatonError.invalid("\(field).target", "a percentage cannot exceed 100")
        }
        target = t
        if case .number(let b)? = o["baseline"] {
            guard b.isFinite, b >= 0 else { throw BatonError.invalid("\(field).baseline", "must be a number of 0 or more") }
            baseline = b
        } else if let b = o["baseline"], !b.isNull {
            throw BatonError.invalid("\(field).baseline", "must be a number")
        } else {
            baseline = nil
        }
        if d == .reduceBy && baseline == nil {
            throw BatonError.invalid("\(field).baseline", "a reduce_by indicator needs the baseline it reduces from")
        }
        reportedBy = try o["reported_by"].flatMap { $0.isNull ? nil : try LeadForm(json: $0, field: "\(field).reported_by") }
    }

    /// Whether `value` meets the target.
    public func isMet(by value: Double) -> Bool {
        switch direction {
        case .atLeast: value >= target
        case .atMost: value <= target
        case .reduceBy: value <= (baseline ?? 0) * (1 - target / 100)
        }
    }
}

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
        let o = try Fields(json, at: field, allowed: ["key", "name", "unit", "direction", "target", "baseline", "reported_by"],
                           what: "an indicator")
        guard let key = try o.string("key"), key.wholeMatch(of: /[a-z0-9][a-z0-9._-]{0,63}/) != nil else {
            throw BatonError.invalid(o.at("key"), "must be lower-case letters, digits, . _ - (up to 64)")
        }
        self.key = key
        name = try o.text("name", max: 1_000)
        guard let u = try o.string("unit").flatMap(Unit.init(rawValue:)) else {
            throw BatonError.invalid(o.at("unit"), "must be percent or count")
        }
        unit = u
        guard let d = try o.string("direction").flatMap(Direction.init(rawValue:)) else {
            throw BatonError.invalid(o.at("direction"), "must be at_least, at_most or reduce_by")
        }
        direction = d
        guard case .number(let t)? = o["target"], t.isFinite, t >= 0 else {
            throw BatonError.invalid(o.at("target"), "must be a number of 0 or more")
        }
        if (u == .percent || d == .reduceBy) && t > 100 {
            throw BatonError.invalid(o.at("target"), "a percentage cannot exceed 100")
        }
        target = t
        if case .number(let b)? = o["baseline"] {
            guard b.isFinite, b >= 0 else { throw BatonError.invalid(o.at("baseline"), "must be a number of 0 or more") }
            baseline = b
        } else if o["baseline"] != nil {
            throw BatonError.invalid(o.at("baseline"), "must be a number")
        } else {
            baseline = nil
        }
        if d == .reduceBy && baseline == nil {
            throw BatonError.invalid(o.at("baseline"), "a reduce_by indicator needs the baseline it reduces from")
        }
        reportedBy = try o.read("reported_by", LeadForm.init(json:field:))
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

/// A value an agency reports for an indicator and a period.
public struct IndicatorReport: Sendable, Hashable {
    public let period: String
    public let value: Double
    public let numerator: Double?
    public let denominator: Double?
    public let note: String?

    /// Reads `{"period": "2026-H1", "value": 72.5}` or `{"period": "2026", "numerator": 350, "denominator": 500}`.
    public init(json: JSONValue) throws {
        let f = try Fields(json, allowed: ["period", "value", "numerator", "denominator", "note"], what: "an indicator report",
                           notObject: "a report must be an object")
        guard let text = try f.string("period") else {
            throw BatonError.invalid("period", "is required: a year (2026), a half (2026-H1), a quarter (2026-Q3) or a month (2026-06)")
        }
        let period = try ReportPeriod(name: text).description
        numerator = try f.count("numerator")
        denominator = try f.count("denominator")
        if (numerator == nil) != (denominator == nil) { throw BatonError.invalid("denominator", "numerator and denominator go together") }
        if let d = denominator, d == 0 { throw BatonError.invalid("denominator", "must be more than 0") }
        if let v = try f.count("value") {
            value = v
        } else if let n = numerator, let d = denominator {
            value = n / d * 100
        } else {
            throw BatonError.invalid("value", "is required (or numerator and denominator)")
        }
        self.period = period
        note = try f.optionalText("note", max: 5_000, multiline: true)
    }
}

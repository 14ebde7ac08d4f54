import Foundation

/// A deadline as a plan writes it, before it is turned into an instant.
public enum DueForm: Sendable, Hashable {
    /// "trước ngày D": due when D begins (00:00 of D in the plan's zone).
    case before(LocalDate)
    /// By the end of D: 00:00 of the next day.
    case on(LocalDate)
    /// An exact instant.
    case at(Date)
    /// The end of the N-th working day after the start day, on the plan's working calendar.
    case workingDays(Int)
    /// Recurring: before each listed day, every year.
    case yearlyBefore([MonthDay])

    /// The API's limits for `working_days`.
    public static let workingDaysRange = 1...366

    /// Reads `{"before": "2024-11-15"}` and the other forms of API.md; errors name the field.
    public init(json value: JSONValue, field: String) throws {
        guard let object = value.objectValue else {
            throw BatonError.invalid(field, "must be an object such as {\"before\": \"2024-11-15\"}")
        }
        guard object.count == 1, let (key, v) = object.first else {
            throw BatonError.invalid(field, "must have exactly one of before, on, at, working_days, yearly_before")
        }
        let path = "\(field).\(key)"
        switch key {
        case "before", "on":
            let date = try Text.date(v.stringValue ?? Self.show(v), field: path)
            self = key == "before" ? .before(date) : .on(date)
        case "at":
            guard let text = v.stringValue, let instant = RFC3339.parse(text) else {
                throw BatonError.invalid(path, "\(Self.show(v)) is not an RFC 3339 timestamp with an offset (years 1900 to 2999)")
            }
            self = .at(instant)
        case "working_days":
            guard let n = v.intValue, Self.workingDaysRange.contains(n) else {
                throw BatonError.invalid(path, "must be a whole number from 1 to 366, not \(Self.show(v))")
            }
            self = .workingDays(n)
        case "yearly_before":
            guard let list = v.arrayValue, !list.isEmpty else {
                throw BatonError.invalid(path, "must list at least one MM-DD date, e.g. [\"06-01\", \"12-01\"]")
            }
            var days: [MonthDay] = []
            for (i, item) in list.enumerated() {
                guard let text = item.stringValue, let md = MonthDay(text) else {
                    throw BatonError.invalid("\(path)[\(i)]", "\(Self.show(item)) is not a day of every year in the form MM-DD")
                }
                if !days.contains(md) { days.append(md) }
            }
            self = .yearlyBefore(days.sorted())
        default:
            throw BatonError.invalid(field, "unknown due form '\(key)'; use before, on, at, working_days or yearly_before")
        }
    }

    /// The form as JSON, as clients send it; an instant is written in `zone` (the plan's).
    public func json(in zone: TimeZone) -> JSONValue {
        switch self {
        case .before(let d): .object(["before": .string(d.description)])
        case .on(let d): .object(["on": .string(d.description)])
        case .at(let t): .object(["at": .string(RFC3339.format(t, in: zone))])
        case .workingDays(let n): .object(["working_days": .number(Double(n))])
        case .yearlyBefore(let days): .object(["yearly_before": .array(days.map { .string($0.description) })])
        }
    }

    /// True for forms that make a recurring obligation.
    public var isRecurring: Bool {
        if case .yearlyBefore = self { return true }
        return false
    }

    static func show(_ v: JSONValue) -> String {
        let s = v.jsonText
        return s.count > 40 ? String(s.prefix(40)) + "…" : s
    }
}

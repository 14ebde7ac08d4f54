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
            guard let text = v.stringValue, let date = LocalDate(text) else {
                throw BatonError.invalid(path, "\(Self.show(v)) is not a real date in the form YYYY-MM-DD (years 1900 to 2999)")
            }
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

/// RFC 3339 timestamps, as the API writes and reads them.
public enum RFC3339 {
    /// Parses `2024-11-15T00:00:00+07:00` (fraction optional; `Z` or an offset required).
    public static func parse(_ text: String) -> Date? {
        let u = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= u.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = u[i + k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < u.count, u[i] == c else { return false }
            i += 1
            return true
        }
        guard let y = digits(4), expect(45), let mo = digits(2), expect(45), let d = digits(2),
              let date = LocalDate(year: y, month: mo, day: d) else { return nil }
        guard i < u.count, u[i] == 84 || u[i] == 116 || u[i] == 32 else { return nil }
        i += 1
        guard let h = digits(2), expect(58), let mi = digits(2), expect(58), let s = digits(2), h < 24, mi < 60, s < 61 else { return nil }
        var fraction = 0.0
        if expect(46) {
            // Whole digits first, one division at the end: exact to the microsecond PostgreSQL keeps.
            let start = i
            var value = 0, scale = 1
            while i < u.count, u[i] >= 48 && u[i] <= 57, i - start < 9 {
                value = value * 10 + Int(u[i] - 48)
                scale *= 10
                i += 1
            }
            guard i > start else { return nil }
            fraction = Double(value) / Double(scale)
        }
        guard i < u.count else { return nil }
        var offset = 0
        if u[i] == 90 || u[i] == 122 {
            i += 1
        } else if u[i] == 43 || u[i] == 45 {
            let sign = u[i] == 45 ? -1 : 1
            i += 1
            guard let oh = digits(2), expect(58), let om = digits(2), oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == u.count else { return nil }
        let seconds = Double(date.dayNumber * 86400 + h * 3600 + mi * 60 + min(s, 59) - offset)
        return Date(timeIntervalSince1970: seconds + fraction)
    }

    /// Formats in `zone` with its offset, whole seconds unless there is a fraction.
    public static func format(_ date: Date, in zone: TimeZone) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        append(date, in: zone, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The same, appended to bytes (JSON writing without intermediate strings).
    public static func append(_ date: Date, in zone: TimeZone, to out: inout [UInt8]) {
        let offset = zone.secondsFromGMT(for: date)
        let local = date.timeIntervalSince1970 + Double(offset)
        let whole = local.rounded(.down)
        let day = LocalDate(dayNumber: Int((whole / 86400).rounded(.down)))
        var secs = Int(whole) - day.dayNumber * 86400
        let h = secs / 3600
        secs %= 3600
        let micros = Int(((local - whole) * 1_000_000).rounded())
        Digits.append(day.year, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        Digits.append(day.month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        Digits.append(day.day, width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        Digits.append(h, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        Digits.append(secs / 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        Digits.append(secs % 60, width: 2, to: &out)
        if micros > 0 && micros < 1_000_000 {
            var m = micros, width = 6
            while m % 10 == 0 { m /= 10; width -= 1 }
            out.append(UInt8(ascii: "."))
            Digits.append(m, width: width, to: &out)
        }
        // Linux Foundation names TimeZone(identifier: "UTC") "GMT", so both spellings mean "Z".
        if offset == 0 && utcNames.contains(zone.identifier) {
            out.append(UInt8(ascii: "Z"))
            return
        }
        out.append(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let a = abs(offset)
        Digits.append(a / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        Digits.append(a % 3600 / 60, width: 2, to: &out)
    }

    static let utcNames: Set<String> = ["UTC", "GMT", "Etc/UTC", "Etc/GMT", "UCT", "Etc/UCT", "Zulu", "Etc/Zulu"]
}

import Foundation

/// A calendar day with no time and no zone: "15/11/2024" as a plan writes it.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// The years Baton accepts: room for every due time, reminder and escalation computed from them.
    public static let years = 1900...2999

    /// A real day of the proleptic Gregorian calendar in `years`, or nil.
    public init?(year: Int, month: Int, day: Int) {
        guard LocalDate.years.contains(year), (1...12).contains(month),
              (1...LocalDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`; rejects impossible days such as 2030-02-30.
    public init?(_ text: String) {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == 45, u[7] == 45 else { return nil }
        func digits(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard u[i] >= 48 && u[i] <= 57 else { return nil }
                v = v * 10 + Int(u[i] - 48)
            }
            return v
        }
        guard let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Days since 1970-01-01.
    public init(dayNumber: Int) {
        let z = dayNumber + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int {
        let w = (dayNumber + 3) % 7  // 1970-01-01 was a Thursday (3 with Monday = 0)
        return (w < 0 ? w + 7 : w) + 1
    }

    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    public var description: String {
        var out = ""
        out.reserveCapacity(10)
        Digits.append(year, width: 4, to: &out)
        out.append("-")
        Digits.append(month, width: 2, to: &out)
        out.append("-")
        Digits.append(day, width: 2, to: &out)
        return out
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.dayNumber < b.dayNumber }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The instant this day begins (00:00) in `zone`.
    public func start(in zone: TimeZone) -> Date {
        let utcMidnight = Date(timeIntervalSince1970: Double(dayNumber) * 86400)
        // Two passes settle the offset for zones whose offset differs across the day boundary.
        var guess = utcMidnight.addingTimeInterval(-Double(zone.secondsFromGMT(for: utcMidnight)))
        guess = utcMidnight.addingTimeInterval(-Double(zone.secondsFromGMT(for: guess)))
        return guess
    }

    /// The day `instant` falls on in `zone`.
    public init(containing instant: Date, in zone: TimeZone) {
        let local = instant.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: instant))
        self.init(dayNumber: Int((local / 86400).rounded(.down)))
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM-DD date: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// A month and day that recurs every year: "01/6 hàng năm" is `06-01`.
public struct MonthDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let month: Int
    public let day: Int

    /// Parses `MM-DD`; 02-29 is refused because it does not occur every year.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              text.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let m = Int(parts[0]), let d = Int(parts[1]),
              (1...12).contains(m), (1...LocalDate.daysIn(month: m, year: 2023)).contains(d) else { return nil }
        month = m
        day = d
    }

    public func date(in year: Int) -> LocalDate { LocalDate(year: year, month: month, day: day)! }

    public var description: String {
        var out = ""
        Digits.append(month, width: 2, to: &out)
        out.append("-")
        Digits.append(day, width: 2, to: &out)
        return out
    }

    public static func < (a: MonthDay, b: MonthDay) -> Bool { (a.month, a.day) < (b.month, b.day) }
}

/// Zero-padded decimal digits without `String(format:)` (slow on Linux).
public enum Digits {
    /// Appends `value` with at least `width` digits.
    public static func append(_ value: Int, width: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var v = value.magnitude
        var count = 1
        var probe = v
        while probe >= 10 { probe /= 10; count += 1 }
        let start = out.count
        let digits = max(count, width)
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        var i = start + digits - 1
        repeat { out[i] = UInt8(ascii: "0") + UInt8(v % 10); v /= 10; i -= 1 } while v > 0
    }

    public static func append(_ value: Int, width: Int, to out: inout String) {
        var bytes: [UInt8] = []
        append(value, width: width, to: &bytes)
        out.append(String(decoding: bytes, as: UTF8.self))
    }
}

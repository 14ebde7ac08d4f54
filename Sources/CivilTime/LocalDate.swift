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
        var reader = Digits.Reader(text)
        guard let (y, m, d) = reader.date(), reader.atEnd else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Days since 1970-01-01.
    public init(dayNumber: Int) {
        (year, month, day) = LocalDate.civil(dayNumber: dayNumber)
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int { LocalDate.dayNumber(year: year, month: month, day: day) }

    /// Days since 1970-01-01 of any proleptic Gregorian day, in or out of `years` (Howard Hinnant's algorithm).
    public static func dayNumber(year y0: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The year, month and day of a day number, in or out of `years`.
    public static func civil(dayNumber: Int) -> (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
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

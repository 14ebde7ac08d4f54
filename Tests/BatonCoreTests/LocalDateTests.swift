import Foundation
import Testing
@testable import BatonCore

@Suite("LocalDate")
struct LocalDateTests {
    @Test("parses real YYYY-MM-DD days", arguments: [
        ("2024-11-15", 2024, 11, 15),
        ("2024-02-29", 2024, 2, 29),   // leap year
        ("2000-02-29", 2000, 2, 29),   // divisible by 400
        ("1900-01-01", 1900, 1, 1),    // lower bound
        ("2999-12-31", 2999, 12, 31),  // upper bound
        ("2025-04-30", 2025, 4, 30),
        ("2025-12-31", 2025, 12, 31),
    ])
    func parsesRealDays(text: String, year: Int, month: Int, dayOfMonth: Int) throws {
        let d = try #require(LocalDate(text))
        #expect(d.year == year)
        #expect(d.month == month)
        #expect(d.day == dayOfMonth)
        #expect(d.description == text)
    }

    @Test("refuses anything that is not exactly a real YYYY-MM-DD", arguments: [
        "2030-02-30", "2023-02-29", "1900-02-29", "2100-02-29", "2024-04-31", "2024-13-01", "2024-00-10",
        "2024-01-00", "2024-01-32", "15/11/2024", "2024/11/15", "2024-1-15", "2024-11-5", "24-11-15",
        "2024-11-150", "02024-11-15", "", " 2024-11-15", "2024-11-15 ", "2024-11-15T00:00:00Z", "1899-12-31", "3000-01-01", "9999-12-31",
        "abcd-ef-gh", "2024-+1-15", "2024--1-15", "+024-11-15", "２０２４-11-15", "2024_11_15", "2024-11-1\u{0}",
    ])
    func refusesBadText(text: String) {
        #expect(LocalDate(text) == nil, "\(text.debugDescription) should not parse")
    }

    @Test("memberwise init validates", arguments: [
        (2024, 2, 29, true), (2023, 2, 29, false), (2024, 2, 30, false), (1899, 12, 31, false),
        (3000, 1, 1, false), (10000, 1, 1, false), (2024, 0, 1, false), (2024, 12, 31, true), (2024, 6, 31, false), (2024, 6, 30, true),
    ])
    func memberwise(year: Int, month: Int, dayOfMonth: Int, valid: Bool) {
        #expect((LocalDate(year: year, month: month, day: dayOfMonth) != nil) == valid)
    }

    @Test("days in month, leap rules", arguments: [
        (2, 2024, 29), (2, 2023, 28), (2, 2000, 29), (2, 1900, 28), (2, 2100, 28), (2, 2400, 29),
        (1, 2023, 31), (4, 2023, 30), (6, 2023, 30), (9, 2023, 30), (11, 2023, 30), (12, 2023, 31), (7, 2023, 31), (8, 2023, 31),
    ])
    func daysIn(month: Int, year: Int, expected: Int) {
        #expect(LocalDate.daysIn(month: month, year: year) == expected)
    }

    @Test("ISO weekday (1 = Monday … 7 = Sunday)", arguments: [
        ("1970-01-01", 4), ("2024-11-15", 5), ("2024-11-16", 6), ("2024-11-17", 7), ("2024-11-18", 1),
        ("2025-01-29", 3), ("2025-04-26", 6), ("2025-05-02", 5), ("2026-02-17", 2), ("1900-01-01", 1),
        ("2000-01-01", 6), ("2999-12-31", 2), ("1969-12-31", 3),
    ])
    func weekday(text: String, expected: Int) {
        #expect(day(text).weekday == expected)
    }

    @Test("day numbers count from 1970-01-01", arguments: [
        ("1970-01-01", 0), ("1970-01-02", 1), ("1969-12-31", -1), ("2000-03-01", 11017), ("2024-11-15", 20042),
        ("1900-01-01", -25567),
    ])
    func dayNumber(text: String, expected: Int) {
        #expect(day(text).dayNumber == expected)
        #expect(LocalDate(dayNumber: expected) == day(text))
    }

    @Test("dayNumber agrees with Foundation's Gregorian calendar, 1900–2200, every day")
    func dayNumberMatchesFoundation() {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = Fixture.utc
        let first = day("1900-01-01").dayNumber, last = day("2200-12-31").dayNumber
        var mismatches: [String] = []
        var previous: LocalDate?
        for n in first...last {
            let d = LocalDate(dayNumber: n)
            let c = cal.dateComponents([.year, .month, .day, .weekday], from: Date(timeIntervalSince1970: Double(n) * 86400))
            // Foundation's weekday is 1 = Sunday … 7 = Saturday.
            let isoWeekday = (c.weekday! + 5) % 7 + 1
            if d.year != c.year || d.month != c.month || d.day != c.day || d.weekday != isoWeekday || d.dayNumber != n {
                mismatches.append("\(n): \(d) vs \(c)")
            }
            if let previous, !(previous < d) || previous.adding(days: 1) != d { mismatches.append("order at \(d)") }
            previous = d
            if mismatches.count > 5 { break }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test("text, day number and fields round-trip over the whole range 1900–2999")
    func wholeRangeRoundTrip() {
        let first = day("1900-01-01").dayNumber, last = day("2999-12-31").dayNumber
        var bad: [Int] = []
        for n in first...last {
            let d = LocalDate(dayNumber: n)
            if d.dayNumber != n || LocalDate(year: d.year, month: d.month, day: d.day) != d
                || (n % 61 == 0 && LocalDate(d.description) != d) {
                bad.append(n)
                if bad.count > 5 { break }
            }
        }
        #expect(bad.isEmpty, "\(bad)")
    }

    @Test("adding days crosses months, years and leap days", arguments: [
        ("2024-02-28", 1, "2024-02-29"), ("2024-02-28", 2, "2024-03-01"), ("2023-02-28", 1, "2023-03-01"),
        ("2024-12-31", 1, "2025-01-01"), ("2025-01-01", -1, "2024-12-31"), ("2024-03-01", -1, "2024-02-29"),
        ("2024-01-01", 366, "2025-01-01"), ("2025-01-01", 365, "2026-01-01"), ("2024-11-15", 0, "2024-11-15"),
    ])
    func adding(from: String, days: Int, expected: String) {
        #expect(day(from).adding(days: days) == day(expected))
    }

    @Test("comparison follows the calendar")
    func comparison() {
        #expect(day("2024-11-15") < day("2024-11-16"))
        #expect(day("2024-12-31") < day("2025-01-01"))
        #expect(!(day("2025-01-01") < day("2025-01-01")))
        #expect([day("2025-01-02"), day("2024-12-31"), day("2025-01-01")].sorted().map(\.description)
                == ["2024-12-31", "2025-01-01", "2025-01-02"])
    }

    @Test("start(in:) is 00:00 of the day in the zone", arguments: [
        ("2024-11-15", "Asia/Ho_Chi_Minh", "2024-11-14T17:00:00Z"),
        ("2024-11-15", "UTC", "2024-11-15T00:00:00Z"),
        ("2025-01-01", "Asia/Ho_Chi_Minh", "2024-12-31T17:00:00Z"),
        ("2024-03-01", "Asia/Ho_Chi_Minh", "2024-02-29T17:00:00Z"),
        ("2024-03-10", "America/New_York", "2024-03-10T05:00:00Z"),   // DST begins later that day
        ("2024-11-03", "America/New_York", "2024-11-03T04:00:00Z"),   // DST ends later that day
        ("2024-07-01", "Europe/Berlin", "2024-06-30T22:00:00Z"),
    ])
    func startInZone(text: String, zone: String, expected: String) throws {
        let tz = try #require(TimeZone(identifier: zone))
        #expect(day(text).start(in: tz) == instant(expected))
    }

    @Test("the day containing an instant, at the +07:00 boundary", arguments: [
        ("2024-11-14T16:59:59Z", "2024-11-14"),
        ("2024-11-14T17:00:00Z", "2024-11-15"),
        ("2024-11-15T16:59:59Z", "2024-11-15"),
        ("2024-12-31T17:00:00Z", "2025-01-01"),
        ("2024-12-31T16:59:59.999Z", "2024-12-31"),
    ])
    func containingInHCM(text: String, expected: String) {
        #expect(LocalDate(containing: instant(text), in: Fixture.hcm) == day(expected))
        #expect(LocalDate(containing: instant(text), in: Fixture.plus7) == day(expected))
    }

    @Test("before 1970 in a fixed +07:00 zone (days before the epoch round down)", arguments: [
        ("1970-01-01T00:00:00Z", "1970-01-01"),
        ("1969-12-31T16:59:59Z", "1969-12-31"),
        ("1969-12-31T17:00:00Z", "1970-01-01"),
    ])
    func containingBeforeEpoch(text: String, expected: String) {
        #expect(LocalDate(containing: instant(text), in: Fixture.plus7) == day(expected))
    }

    @Test("the zone database's history is honoured: Saigon was +08:00 in 1970")
    func historicalOffset() {
        #expect(LocalDate(containing: instant("1969-12-31T16:30:00Z"), in: Fixture.hcm) == day("1970-01-01"))
        #expect(day("1970-01-01").start(in: Fixture.hcm) == instant("1969-12-31T16:00:00Z"))
    }

    @Test("the day containing an instant in UTC", arguments: [
        ("2024-11-14T23:59:59Z", "2024-11-14"),
        ("2024-11-15T00:00:00Z", "2024-11-15"),
        ("2024-11-14T17:00:00Z", "2024-11-14"),
        ("1969-12-31T23:59:59Z", "1969-12-31"),
    ])
    func containingInUTC(text: String, expected: String) {
        #expect(LocalDate(containing: instant(text), in: Fixture.utc) == day(expected))
    }

    @Test("start and containing agree for every day of 2024–2027 in +07:00")
    func startContainingRoundTrip() {
        var d = day("2024-01-01")
        while d <= day("2027-12-31") {
            let start = d.start(in: Fixture.hcm)
            if LocalDate(containing: start, in: Fixture.hcm) != d
                || LocalDate(containing: start.addingTimeInterval(-1), in: Fixture.hcm) != d.adding(days: -1) {
                Issue.record("start(in:) of \(d) is not its first instant")
                return
            }
            d = d.adding(days: 1)
        }
    }

    @Test("Codable as a YYYY-MM-DD string; bad text is a decoding error")
    func codable() throws {
        let data = try JSONEncoder().encode([day("2024-02-29")])
        #expect(String(decoding: data, as: UTF8.self) == #"["2024-02-29"]"#)
        #expect(try JSONDecoder().decode([LocalDate].self, from: data) == [day("2024-02-29")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([LocalDate].self, from: Data(#"["2023-02-29"]"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([LocalDate].self, from: Data(#"[20240229]"#.utf8)) }
    }
}

@Suite("MonthDay")
struct MonthDayTests {
    @Test("parses MM-DD of every year", arguments: [("06-01", 6, 1), ("12-31", 12, 31), ("01-01", 1, 1), ("02-28", 2, 28), ("11-30", 11, 30)])
    func parses(text: String, month: Int, dayOfMonth: Int) throws {
        let md = try #require(MonthDay(text))
        #expect(md.month == month)
        #expect(md.day == dayOfMonth)
        #expect(md.description == text)
    }

    @Test("refuses days that are not every year's, and malformed text", arguments: [
        "02-29", "02-30", "04-31", "13-01", "00-01", "01-00", "01-32", "6-01", "06-1", "0601", "06/01", "2024-06-01",
        "", "06-01-", "+6-01", "06-+1", "-6-01", " 6-01", "０６-０１", "ab-cd",
    ])
    func refuses(text: String) {
        #expect(MonthDay(text) == nil, "\(text.debugDescription) should not parse")
    }

    @Test("orders by month then day, and lands in any year")
    func orderAndDate() throws {
        let days = ["12-01", "06-01", "01-15", "06-02"].compactMap(MonthDay.init)
        #expect(days.sorted().map(\.description) == ["01-15", "06-01", "06-02", "12-01"])
        #expect(try #require(MonthDay("02-28")).date(in: 2024) == day("2024-02-28"))
        #expect(try #require(MonthDay("12-31")).date(in: 2030) == day("2030-12-31"))
    }
}

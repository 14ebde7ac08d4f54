import Foundation
import Testing
@testable import BatonCore

@Suite("WorkingCalendar")
struct WorkingCalendarTests {
    @Test("the real vn.yaml loads")
    func loadsVN() throws {
        let vn = try Fixture.vn()
        #expect(vn.name == "vn")
        #expect(vn.timeZone == "Asia/Ho_Chi_Minh")
        #expect(vn.zoneValue.identifier == "Asia/Ho_Chi_Minh")
        #expect(vn.weekend == [6, 7])
        #expect(vn.listedYears == [2024, 2025, 2026, 2027])
        #expect(Set(vn.fixedHolidays.keys.map(\.description)) == ["01-01", "04-30", "05-01", "09-02"])
        #expect(vn.holidays.values.allSatisfy { $0.source?.isEmpty == false })
        #expect(vn.workingDays.values.allSatisfy { vn.weekend.contains($0.date.weekday) })
        #expect(vn.title.hasPrefix("Lịch làm việc"))
    }

    @Test("isWorkingDay on the real calendar", arguments: [
        // weekends and weekdays
        ("2024-11-15", true), ("2024-11-16", false), ("2024-11-17", false), ("2024-11-18", true),
        // 30/4–1/5/2025 and its swap
        ("2025-04-26", true),   // Saturday worked in make-up
        ("2025-04-27", false), ("2025-04-28", true), ("2025-04-29", true),
        ("2025-04-30", false), ("2025-05-01", false),
        ("2025-05-02", false),  // Friday swapped away
        ("2025-05-05", true),
        // Tết Ất Tỵ 2025: 25/01 … 02/02
        ("2025-01-24", true), ("2025-01-25", false), ("2025-01-27", false), ("2025-01-29", false), ("2025-01-31", false),
        ("2025-02-02", false), ("2025-02-03", true),
        // Tết Bính Ngọ 2026: 14/02 … 22/02
        ("2026-02-13", true), ("2026-02-14", false), ("2026-02-16", false), ("2026-02-20", false), ("2026-02-22", false),
        ("2026-02-23", true),
        // 2026 Tết Dương lịch with its swap
        ("2026-01-01", false), ("2026-01-02", false), ("2026-01-05", true), ("2026-01-10", true), ("2026-01-11", false),
        // 2024
        ("2024-01-01", false), ("2024-02-08", false), ("2024-02-15", true), ("2024-04-18", false), ("2024-04-29", false),
        ("2024-05-04", true), ("2024-09-03", false), ("2024-09-04", true),
        // Giỗ Tổ 2026 on a Sunday, day in lieu Monday
        ("2026-04-26", false), ("2026-04-27", false), ("2026-04-28", true),
        ("2026-08-22", true), ("2026-08-31", false), ("2026-09-02", false), ("2026-09-03", true),
        // 2027 as far as known
        ("2027-02-05", false), ("2027-02-08", false), ("2027-02-09", true), ("2027-05-03", false), ("2027-09-02", false),
        // leap days are ordinary days
        ("2024-02-29", true), ("2028-02-29", true),
        // beyond the listed years: weekends and the four fixed holidays only
        ("2028-05-01", false), ("2028-05-02", true), ("2028-01-26", true), ("2029-01-01", false), ("2030-09-02", false),
        ("2030-09-03", true), ("2023-01-02", true), ("2023-04-30", false), ("2023-05-02", true), ("2031-04-30", false),
    ])
    func isWorkingDay(date: String, working: Bool) throws {
        let vn = try Fixture.vn()
        #expect(vn.isWorkingDay(day(date)) == working)
        #expect((vn.reasonOff(day(date)) == nil) == working)
    }

    @Test("why a day is off")
    func reasons() throws {
        let vn = try Fixture.vn()
        #expect(vn.reasonOff(day("2025-01-29"))?.hasPrefix("Tết Nguyên đán Ất Tỵ") == true)
        #expect(vn.reasonOff(day("2024-11-16")) == "weekend")
        #expect(vn.reasonOff(day("2028-05-01")) == "Ngày Quốc tế lao động")
        #expect(vn.reasonOff(day("2029-01-01")) == "Tết Dương lịch")
        #expect(vn.reasonOff(day("2025-04-26")) == nil)
        #expect(vn.reasonOff(day("2024-02-29")) == nil)
    }

    @Test("the fallback calendar: weekends and 1/1, 30/4, 1/5, 2/9", arguments: [
        ("2025-01-01", false), ("2025-04-30", false), ("2025-05-01", false), ("2025-09-02", false), ("2025-09-01", true),
        ("2025-01-29", true), ("2025-04-26", false), ("2025-05-02", true), ("2024-02-29", true), ("2028-02-29", true),
        ("2025-01-04", false), ("2025-01-05", false), ("2025-01-06", true),
    ])
    func fallback(date: String, working: Bool) {
        #expect(WorkingCalendar.fallback.isWorkingDay(day(date)) == working)
    }

    @Test("adding working days", arguments: [
        ("2024-11-15", 1, "2024-11-18"), ("2024-11-18", 5, "2024-11-25"),
        ("2025-01-24", 1, "2025-02-03"), ("2025-01-22", 3, "2025-02-03"), ("2025-01-24", 5, "2025-02-07"),
        ("2025-04-24", 2, "2025-04-26"), ("2025-04-29", 1, "2025-05-05"),
        ("2026-02-13", 1, "2026-02-23"), ("2026-02-12", 2, "2026-02-23"), ("2025-12-31", 6, "2026-01-10"),
        ("2028-04-28", 1, "2028-05-02"), ("2024-01-01", 366, "2025-06-23"),
    ])
    func adding(start: String, n: Int, expected: String) throws {
        #expect(try Fixture.vn().addingWorkingDays(n, to: day(start)) == day(expected))
    }

    @Test("subtracting working days", arguments: [
        ("2025-02-03", 1, "2025-01-24"),   // back over Tết 2025
        ("2025-05-05", 1, "2025-04-29"), ("2025-05-05", 2, "2025-04-28"), ("2025-05-05", 3, "2025-04-26"),
        ("2026-02-23", 1, "2026-02-13"),   // back over Tết 2026
        ("2026-01-05", 1, "2025-12-31"), ("2026-01-12", 1, "2026-01-10"), ("2026-01-12", 2, "2026-01-09"),
        ("2024-05-06", 1, "2024-05-04"), ("2024-05-06", 2, "2024-05-03"), ("2024-05-06", 4, "2024-04-26"),
        ("2028-05-02", 1, "2028-04-28"), ("2024-11-18", 1, "2024-11-15"), ("2024-11-17", 1, "2024-11-15"),
    ])
    func subtracting(end: String, n: Int, expected: String) throws {
        #expect(try Fixture.vn().subtractingWorkingDays(n, from: day(end)) == day(expected))
    }

    @Test("working days in (from, to]", arguments: [
        ("2025-01-24", "2025-02-03", 1), ("2025-01-24", "2025-02-02", 0), ("2025-04-25", "2025-05-05", 4),
        ("2026-02-13", "2026-02-23", 1), ("2026-02-01", "2026-02-28", 15),
        ("2025-01-01", "2025-01-01", 0), ("2025-01-02", "2025-01-01", 0), ("2024-11-15", "2024-11-18", 1),
        // whole years, counted independently from vn.yaml
        ("2021-12-31", "2022-12-31", 259), ("2022-12-31", "2023-12-31", 259), ("2023-12-31", "2024-12-31", 251),
        ("2024-12-31", "2025-12-31", 250), ("2025-12-31", "2026-12-31", 250), ("2026-12-31", "2027-12-31", 254),
        ("2027-12-31", "2028-12-31", 259), ("2028-12-31", "2029-12-31", 258),
    ])
    func between(from: String, to: String, expected: Int) throws {
        #expect(try Fixture.vn().workingDays(after: day(from), through: day(to)) == expected)
    }

    @Test("add, subtract and count agree, every start day 2023–2028")
    func addSubtractCountAgree() throws {
        let vn = try Fixture.vn()
        var d = day("2023-01-01")
        while d <= day("2028-12-31") {
            for n in [1, 2, 5, 11] {
                let ahead = vn.addingWorkingDays(n, to: d)
                let ok = vn.isWorkingDay(ahead) && vn.workingDays(after: d, through: ahead) == n
                    && vn.workingDays(after: d, through: ahead.adding(days: -1)) == n - 1
                    && vn.subtractingWorkingDays(n, from: ahead) <= d
                    && (!vn.isWorkingDay(d) || vn.subtractingWorkingDays(n, from: ahead) == d)
                if !ok {
                    Issue.record("\(n) working days from \(d) → \(ahead)")
                    return
                }
            }
            d = d.adding(days: 1)
        }
    }

    @Test("working days between two instants count whole days in +07:00")
    func betweenInstants() throws {
        let vn = try Fixture.vn()
        // Fri 15/11 23:30 (+07:00) → Mon 18/11 08:00: one working day (Monday).
        #expect(vn.workingDays(between: instant("2024-11-15T16:30:00Z"), and: instant("2024-11-18T01:00:00Z")) == 1)
        // 16:59:59Z on Friday is still Friday in Vietnam; 17:00Z is Saturday.
        #expect(vn.workingDays(between: instant("2024-11-14T16:59:59Z"), and: instant("2024-11-15T16:59:59Z")) == 1)
        #expect(vn.workingDays(between: instant("2024-11-15T17:00:00Z"), and: instant("2024-11-17T16:59:59Z")) == 0)
        #expect(vn.workingDays(between: instant("2024-11-18T00:00:00Z"), and: instant("2024-11-15T00:00:00Z")) == 0)
    }

    @Test("the exceptions of each listed year", arguments: [
        (2024, ["2024-05-04"], ["2024-01-01", "2024-02-08", "2024-02-09", "2024-02-12", "2024-02-13", "2024-02-14", "2024-04-18",
                                "2024-04-29", "2024-04-30", "2024-05-01", "2024-09-02", "2024-09-03"]),
        (2025, ["2025-04-26"], ["2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-04-07",
                                "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02"]),
        (2026, ["2026-01-10", "2026-08-22"], ["2026-01-01", "2026-01-02", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
                                              "2026-02-20", "2026-04-27", "2026-04-30", "2026-05-01", "2026-08-31", "2026-09-01", "2026-09-02"]),
        (2027, [], ["2027-01-01", "2027-02-05", "2027-02-08", "2027-04-16", "2027-04-30", "2027-05-03", "2027-09-02"]),
        (2028, [], ["2028-05-01"]),   // 1/1, 30/4 and 2/9/2028 fall on weekends
    ])
    func exceptions(year: Int, working: [String], off: [String]) throws {
        let e = try Fixture.vn().exceptions(in: year)
        #expect(e.working.map(\.0.description) == working)
        #expect(e.off.map(\.0.description) == off)
        #expect(e.off.allSatisfy { !$0.1.isEmpty })
    }
}

@Suite("WorkingCalendar document")
struct WorkingCalendarDocumentTests {
    static let minimal = """
        name: t
        years:
          2025:
            holidays:
              - {date: 2025-01-01, name: Tết Dương lịch, source: BLLĐ 2019}
              - {from: 2025-01-25, to: 2025-02-02, name: Tết, source: TB 6150}
            working_days:
              - {date: 2025-04-26, name: Làm bù, source: TB 6150}
        """

    @Test("a minimal calendar with defaults")
    func minimal() throws {
        let cal = try WorkingCalendar(yaml: Self.minimal)
        #expect(cal.name == "t")
        #expect(cal.title == "t")
        #expect(cal.timeZone == "Asia/Ho_Chi_Minh")
        #expect(cal.weekend == [6, 7])
        #expect(cal.fixedHolidays.isEmpty)
        #expect(cal.listedYears == [2025])
        #expect(cal.holidays.count == 10)
        #expect(cal.workingDays.count == 1)
        #expect(cal.holidays[day("2025-01-29").dayNumber]?.source == "TB 6150")
        #expect(!cal.isWorkingDay(day("2025-01-27")))
        #expect(cal.isWorkingDay(day("2025-04-26")))
        #expect(cal.isWorkingDay(day("2025-04-30")), "no fixed holidays were listed")
    }

    @Test("a custom weekend, zone and fixed holidays")
    func custom() throws {
        let cal = try WorkingCalendar(yaml: """
            name: gulf-2
            title: Friday and Saturday off
            time_zone: Asia/Dubai
            weekend: [Friday, saturday]
            fixed_holidays: [{date: "12-02", name: National Day}]
            years: {}
            """)
        #expect(cal.weekend == [5, 6])
        #expect(cal.zoneValue.identifier == "Asia/Dubai")
        #expect(cal.title == "Friday and Saturday off")
        #expect(!cal.isWorkingDay(day("2025-12-02")))
        #expect(cal.isWorkingDay(day("2024-11-17")))    // Sunday
        #expect(!cal.isWorkingDay(day("2024-11-15")))   // Friday
    }

    @Test("holidays may cover weekend days; an empty list of working days is fine")
    func weekendHolidays() throws {
        let cal = try WorkingCalendar(yaml: """
            name: t
            years:
              2026:
                holidays: [{from: 2026-02-14, to: 2026-02-22, name: Tết, source: TB 9441}]
                working_days: []
            """)
        #expect(cal.holidays.count == 9)
    }

    /// (YAML, the field the error names, after "calendar: ")
    static let rejected: [(String, String)] = [
        ("name: t\ncolour: red\n", "colour"),
        ("name: VN\n", "name"),
        ("title: no name\n", "name"),
        ("name: t\ntime_zone: Mars/Olympus\n", "time_zone"),
        ("name: t\nweekend: [sat]\n", "weekend[0]"),
        ("name: t\nweekend: [saturday, 7]\n", "weekend[1]"),
        ("name: t\nfixed_holidays: [{date: \"02-29\", name: x}]\n", "fixed_holidays[0].date"),
        ("name: t\nfixed_holidays: [{date: 2025-01-01, name: x}]\n", "fixed_holidays[0].date"),
        ("name: t\nfixed_holidays: [{date: \"01-01\", name: x, source: y}]\n", "fixed_holidays[0].source"),
        ("name: t\nyears: {twenty: {}}\n", "years.twenty"),
        ("name: t\nyears: {1899: {}}\n", "years.1899"),
        ("name: t\nyears: {2025: [a]}\n", "years.2025"),
        // unknown key
        ("name: t\nyears: {2025: {holiday: []}}\n", "years.2025.holiday"),
        ("name: t\nyears: {2025: {holidays: [{date: 2025-01-01, name: x, source: y, note: z}]}}\n", "years.2025.holidays[0].note"),
        ("name: t\nyears: {2025: {holidays: [{date: 2025-01-01, to: 2025-01-02, name: x, source: y, form: 2025-01-01}]}}\n",
         "years.2025.holidays[0].form"),
        ("name: t\nyears: {2025: {holidays: [2025-01-01]}}\n", "years.2025.holidays[0]"),
        // bad date
        ("name: t\nyears: {2025: {holidays: [{date: 2025-02-30, name: x, source: y}]}}\n", "years.2025.holidays[0].date"),
        ("name: t\nyears: {2025: {holidays: [{date: 01/01/2025, name: x, source: y}]}}\n", "years.2025.holidays[0].date"),
        ("name: t\nyears: {2025: {holidays: [{from: 2025-01-25, to: 2025-02-30, name: x, source: y}]}}\n", "years.2025.holidays[0]"),
        ("name: t\nyears: {2025: {holidays: [{from: 2025-02-02, to: 2025-01-25, name: x, source: y}]}}\n", "years.2025.holidays[0]"),
        ("name: t\nyears: {2025: {holidays: [{from: 2025-01-01, to: 2025-02-01, name: x, source: y}]}}\n", "years.2025.holidays[0]"),
        ("name: t\nyears: {2025: {holidays: [{from: 2025-01-01, name: x, source: y}]}}\n", "years.2025.holidays[0]"),
        // entry outside its year
        ("name: t\nyears: {2025: {holidays: [{date: 2024-12-31, name: x, source: y}]}}\n", "years.2025.holidays[0]"),
        ("name: t\nyears: {2025: {holidays: [{from: 2025-12-30, to: 2026-01-02, name: x, source: y}]}}\n", "years.2025.holidays[0]"),
        ("name: t\nyears: {2025: {working_days: [{date: 2026-01-10, name: x, source: y}]}}\n", "years.2025.working_days[0]"),
        // duplicate day
        ("name: t\nyears: {2025: {holidays: [{date: 2025-01-01, name: x, source: y}, {date: 2025-01-01, name: z, source: y}]}}\n",
         "years.2025.holidays[1]"),
        ("name: t\nyears: {2025: {holidays: [{from: 2025-01-25, to: 2025-02-02, name: x, source: y}, {date: 2025-01-29, name: z, source: y}]}}\n",
         "years.2025.holidays[1]"),
        ("name: t\nyears: {2025: {holidays: [{date: 2025-04-26, name: x, source: y}], working_days: [{date: 2025-04-26, name: z, source: y}]}}\n",
         "years.2025.working_days[0]"),
        // a working day that is not a weekend day
        ("name: t\nyears: {2025: {working_days: [{date: 2025-04-25, name: x, source: y}]}}\n", "years.2025.working_days[0]"),
        // missing source, missing name
        ("name: t\nyears: {2025: {holidays: [{date: 2025-01-01, name: x}]}}\n", "years.2025.holidays[0]"),
        ("name: t\nyears: {2025: {holidays: [{date: 2025-01-01, name: x, source: \"\"}]}}\n", "years.2025.holidays[0]"),
        ("name: t\nyears: {2025: {working_days: [{date: 2025-04-26, name: x}]}}\n", "years.2025.working_days[0]"),
        ("name: t\nyears: {2025: {holidays: [{date: 2025-01-01, source: y}]}}\n", "years.2025.holidays[0]"),
        // not a mapping at all
        ("- name: t\n", "(top)"),
    ]

    @Test("each rejection names its field", arguments: rejected)
    func rejects(yaml: String, field: String) {
        let error = batonError { try WorkingCalendar(yaml: yaml) }
        #expect(error?.code == .validationFailed, "\(yaml)")
        #expect(error?.field == "calendar: \(field)", "\(yaml)")
    }

    @Test("messages say what is wrong")
    func messages() {
        let source = batonError { try WorkingCalendar(yaml: "name: t\nyears: {2025: {holidays: [{date: 2025-01-01, name: x}]}}\n") }
        #expect(source?.detail.contains("source") == true)
        let weekday = batonError { try WorkingCalendar(yaml: "name: t\nyears: {2025: {working_days: [{date: 2025-04-25, name: x, source: y}]}}\n") }
        #expect(weekday?.detail.contains("2025-04-25") == true)
        let outside = batonError { try WorkingCalendar(yaml: "name: t\nyears: {2025: {holidays: [{date: 2024-12-31, name: x, source: y}]}}\n") }
        #expect(outside?.detail.contains("not in 2025") == true)
        let twice = batonError { try WorkingCalendar(yaml: "name: t\nyears: {2025: {holidays: [{date: 2025-01-01, name: x, source: y}, {date: 2025-01-01, name: z, source: y}]}}\n") }
        #expect(twice?.detail.contains("already listed") == true)
    }

    @Test("the file name leads the field")
    func fileName() {
        let error = batonError { try WorkingCalendar(yaml: "name: t\nextra: 1\n", file: "vn.yaml") }
        #expect(error?.field == "vn.yaml: extra")
    }

    @Test("malformed YAML is malformed", arguments: ["name: [t\n", "name: t\nname: u\n", "a: b: c\n", "\t- x"])
    func malformed(yaml: String) {
        #expect(batonError { try WorkingCalendar(yaml: yaml) }?.code == .malformed)
    }
}

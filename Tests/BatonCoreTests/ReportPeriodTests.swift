import BatonCore
import Foundation
import Testing

@Suite("ReportPeriod")
struct ReportPeriodTests {
    static let hcm = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    static func day(_ s: String) -> LocalDate { LocalDate(s)! }
    static func instant(_ s: String) -> Date { RFC3339.parse(s)! }

    @Test("names read as the days they cover", arguments: [
        ("2026", "2026-01-01", "2026-12-31"),
        ("2026-H1", "2026-01-01", "2026-06-30"),
        ("2026-H2", "2026-07-01", "2026-12-31"),
        ("2026-Q1", "2026-01-01", "2026-03-31"),
        ("2026-Q3", "2026-07-01", "2026-09-30"),
        ("2026-Q4", "2026-10-01", "2026-12-31"),
        ("2026-06", "2026-06-01", "2026-06-30"),
        ("2028-02", "2028-02-01", "2028-02-29"),
        ("2026-02", "2026-02-01", "2026-02-28"),
        ("2026-12", "2026-12-01", "2026-12-31"),
    ])
    func names(name: String, from: String, to: String) throws {
        let p = try ReportPeriod(name: name)
        #expect(p.from == Self.day(from) && p.to == Self.day(to))
        #expect(p.name == name, "the name is given back")
        #expect(try ReportPeriod(from: p.from, to: p.to).name == name, "a span that is exactly a period is named")
    }

    @Test("anything else is refused naming the field", arguments: [
        "", "26", "2026-", "2026-H3", "2026-H0", "2026-Q5", "2026-Q0", "2026-13", "2026-00", "2026-6", "2026-06-01", "abcd",
        "3000", "1899", "2026-h1", "2026 H1", "２０２６", "2026-H1 ",
    ])
    func refused(name: String) {
        #expect(throws: BatonError.self) { try ReportPeriod(name: name, field: "period") }
        do { _ = try ReportPeriod(name: name, field: "period") } catch { #expect((error as? BatonError)?.field == "period") }
    }

    @Test func otherSpansHaveNoName() throws {
        #expect(try ReportPeriod(from: Self.day("2026-01-01"), to: Self.day("2026-06-29")).name == nil)
        #expect(try ReportPeriod(from: Self.day("2026-02-01"), to: Self.day("2026-04-30")).name == nil, "not a quarter")
        #expect(try ReportPeriod(from: Self.day("2026-07-01"), to: Self.day("2027-06-30")).name == nil)
        #expect(try ReportPeriod(from: Self.day("2026-03-10"), to: Self.day("2026-03-10")).description == "2026-03-10..2026-03-10")
        #expect(throws: BatonError.self) { try ReportPeriod(from: Self.day("2026-03-10"), to: Self.day("2026-03-09")) }
    }

    @Test func eitherAPeriodOrFromAndTo() throws {
        #expect(try ReportPeriod(period: "2026-H1", from: nil, to: nil).to == Self.day("2026-06-30"))
        #expect(try ReportPeriod(period: nil, from: Self.day("2026-01-01"), to: Self.day("2026-01-31")).name == "2026-01")
        for (period, from, to, field) in [("2026-H1", Self.day("2026-01-01"), nil, "period"), ("2026", nil, Self.day("2026-12-31"), "period"),
                                          (nil, nil, Self.day("2026-12-31"), "from"), (nil, Self.day("2026-01-01"), nil, "to")] as [(String?, LocalDate?, LocalDate?, String)] {
            do {
                _ = try ReportPeriod(period: period, from: from, to: to)
                Issue.record("accepted \(String(describing: period)) \(String(describing: from)) \(String(describing: to))")
            } catch { #expect((error as? BatonError)?.field == field) }
        }
    }

    @Test("a task counts on the day of the last moment before its due time", arguments: [
        // {on: 30/6} and {before: 01/7} are both due at 00:00 on 1/7: the first half.
        ("2026-07-01T00:00:00+07:00", "2026-06-30"),
        // One second later belongs to 1/7.
        ("2026-07-01T00:00:01+07:00", "2026-07-01"),
        ("2026-06-30T23:59:59+07:00", "2026-06-30"),
        // 31/12 → 1/1: due at the first instant of the year counts in the year before.
        ("2027-01-01T00:00:00+07:00", "2026-12-31"),
        ("2027-01-01T00:00:00.000001+07:00", "2027-01-01"),
        // The zone decides the day: 17:00 UTC is midnight in Vietnam.
        ("2026-06-30T17:00:00Z", "2026-06-30"),
        ("2026-06-30T16:59:59Z", "2026-06-30"),
        ("2026-06-30T17:00:01Z", "2026-07-01"),
    ])
    func dueDay(dueAt: String, day: String) {
        #expect(ReportPeriod.dueDay(of: Self.instant(dueAt), in: Self.hcm) == Self.day(day))
    }

    @Test func periodEdges() throws {
        let h1 = try ReportPeriod(name: "2026-H1"), h2 = try ReportPeriod(name: "2026-H2"), y2026 = try ReportPeriod(name: "2026")
        let y2027 = try ReportPeriod(name: "2027")
        // The first instant of a period belongs to the period before; its last instant (00:00 after its last day) to it.
        #expect(!h1.contains(dueAt: Self.instant("2026-01-01T00:00:00+07:00"), in: Self.hcm))
        #expect(h1.contains(dueAt: Self.instant("2026-01-01T00:00:01+07:00"), in: Self.hcm))
        #expect(h1.contains(dueAt: Self.instant("2026-07-01T00:00:00+07:00"), in: Self.hcm))
        #expect(!h2.contains(dueAt: Self.instant("2026-07-01T00:00:00+07:00"), in: Self.hcm))
        #expect(h2.contains(dueAt: Self.instant("2027-01-01T00:00:00+07:00"), in: Self.hcm))
        #expect(y2026.contains(dueAt: Self.instant("2027-01-01T00:00:00+07:00"), in: Self.hcm))
        #expect(!y2027.contains(dueAt: Self.instant("2027-01-01T00:00:00+07:00"), in: Self.hcm))
        #expect(h1.start(in: Self.hcm) == Self.instant("2026-01-01T00:00:00+07:00"))
        #expect(h1.end(in: Self.hcm) == Self.instant("2026-07-01T00:00:00+07:00"))
        // yearly_before 06-01 and 12-01: the June report counts in H1 (31/5), the December one in H2 (30/11).
        #expect(h1.contains(dueAt: Self.instant("2026-06-01T00:00:00+07:00"), in: Self.hcm))
        #expect(h2.contains(dueAt: Self.instant("2026-12-01T00:00:00+07:00"), in: Self.hcm))
        // Another zone: midnight in Tokyo is 22:00 the day before in Vietnam, but the plan's own zone decides.
        let tokyo = TimeZone(identifier: "Asia/Tokyo")!
        #expect(h1.contains(dueAt: Self.instant("2026-07-01T00:00:00+09:00"), in: tokyo))
        #expect(h2.contains(dueAt: Self.instant("2026-07-01T00:00:01+09:00"), in: tokyo))
    }

    @Test("a period is covered by the largest whole years, months and days that fit", arguments: [
        ("2026", "y 2026-01-01..2026-01-01"),
        ("2026-H1", "m 2026-01-01..2026-06-01"),
        ("2026-Q4", "m 2026-10-01..2026-12-01"),
        ("2026-02", "m 2026-02-01..2026-02-01"),
    ])
    func namedCovers(name: String, cover: String) throws {
        #expect(try ReportPeriod(name: name).cover.map(\.description).joined(separator: ", ") == cover)
    }

    @Test func spansOfDaysAreCoveredInOrder() throws {
        func cover(_ a: String, _ b: String) throws -> String {
            try ReportPeriod(from: LocalDate(a)!, to: LocalDate(b)!).cover.map(\.description).joined(separator: ", ")
        }
        #expect(try cover("2026-02-15", "2026-03-19") == "d 2026-02-15..2026-03-19")
        #expect(try cover("2026-03-20", "2026-03-20") == "d 2026-03-20..2026-03-20")
        #expect(try cover("2024-02-01", "2024-02-29") == "m 2024-02-01..2024-02-01", "a leap February is whole")
        #expect(try cover("2025-11-15", "2028-02-10")
                == "d 2025-11-15..2025-11-30, m 2025-12-01..2025-12-01, y 2026-01-01..2027-01-01, m 2028-01-01..2028-01-01, d 2028-02-01..2028-02-10")
        #expect(try cover("2026-01-01", "2026-12-30") == "m 2026-01-01..2026-11-01, d 2026-12-01..2026-12-30")
    }

    /// Every span of days over three years: the cover holds each day of the period exactly once, and no day or month
    /// where a whole month or year inside the period could stand instead.
    @Test func everyCoverHoldsEachDayOnceWithTheLargestUnits() throws {
        let start = LocalDate("2025-11-20")!.dayNumber, end = LocalDate("2028-03-10")!.dayNumber
        var seed: UInt64 = 7
        for _ in 0..<3_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let a = start + Int((seed >> 33) % UInt64(end - start)), b = a + Int((seed >> 11) % UInt64(end - a + 1))
            let period = try ReportPeriod(from: LocalDate(dayNumber: a), to: LocalDate(dayNumber: b))
            var days: [Int] = []
            for span in period.cover {
                var d = span.first
                while d <= span.last {
                    let next: LocalDate
                    switch span.grain {
                    case .year:
                        #expect(d.month == 1 && d.day == 1)
                        next = LocalDate(year: d.year + 1, month: 1, day: 1)!
                    case .month:
                        #expect(d.day == 1)
                        let yearEnd = LocalDate(year: d.year, month: 12, day: 31)!
                        #expect(!(LocalDate(year: d.year, month: 1, day: 1)! >= period.from && yearEnd <= period.to), "\(period): a month inside a whole year")
                        next = d.adding(days: LocalDate.daysIn(month: d.month, year: d.year))
                    case .day:
                        let first = LocalDate(year: d.year, month: d.month, day: 1)!
                        let last = LocalDate(year: d.year, month: d.month, day: LocalDate.daysIn(month: d.month, year: d.year))!
                        #expect(!(first >= period.from && last <= period.to), "\(period): a day inside a whole month")
                        next = d.adding(days: 1)
                    }
                    days += Array(d.dayNumber..<next.dayNumber)
                    d = next
                }
            }
            #expect(days == Array(a...b), "\(period): \(period.cover)")
        }
    }
}

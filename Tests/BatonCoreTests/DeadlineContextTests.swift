import Foundation
import Testing
@testable import BatonCore

@Suite("DeadlineContext")
struct DeadlineContextTests {
    static func vnContext() throws -> DeadlineContext { DeadlineContext(zone: Fixture.hcm, calendar: try Fixture.vn()) }
    /// An arbitrary clock reading: the forms other than `yearly_before` must not depend on it.
    static let now = instant("2024-10-30T09:00:00+07:00")

    @Test("before D is 00:00 of D in +07:00", arguments: [
        ("2024-11-15", "2024-11-15T00:00:00+07:00"),
        ("2025-01-01", "2024-12-31T17:00:00Z"),
        ("2024-02-29", "2024-02-29T00:00:00+07:00"),
        ("2024-10-01", "2024-10-01T00:00:00+07:00"),   // in the past: accepted, overdue at once
    ])
    func before(date: String, expected: String) throws {
        let due = try Self.vnContext().resolve(.before(day(date)), startDay: day("2024-10-30"), now: Self.now)
        #expect(due == instant(expected))
        #expect(RFC3339.format(due, in: Fixture.hcm) == "\(date)T00:00:00+07:00")
    }

    @Test("on D is 00:00 of the next day in +07:00, rendered so", arguments: [
        ("2024-11-15", "2024-11-16T00:00:00+07:00"),
        ("2024-12-31", "2025-01-01T00:00:00+07:00"),
        ("2024-02-28", "2024-02-29T00:00:00+07:00"),
        ("2024-02-29", "2024-03-01T00:00:00+07:00"),
    ])
    func on(date: String, expected: String) throws {
        let due = try Self.vnContext().resolve(.on(day(date)), startDay: day("2024-10-30"), now: Self.now)
        #expect(due == instant(expected))
        #expect(RFC3339.format(due, in: Fixture.hcm) == expected)
    }

    @Test("before and on in a UTC plan")
    func utcPlan() throws {
        let ctx = DeadlineContext(zone: Fixture.utc, calendar: .fallback)
        #expect(try ctx.resolve(.before(day("2024-11-15")), startDay: day("2024-10-30"), now: Self.now) == instant("2024-11-15T00:00:00Z"))
        #expect(try ctx.resolve(.on(day("2024-11-15")), startDay: day("2024-10-30"), now: Self.now) == instant("2024-11-16T00:00:00Z"))
    }

    @Test("at is the instant itself, whatever the start day and the clock")
    func at() throws {
        let t = instant("2024-11-15T08:30:00+07:00")
        let ctx = try Self.vnContext()
        #expect(try ctx.resolve(.at(t), startDay: day("2030-01-01"), now: instant("2035-01-01T00:00:00Z")) == t)
    }

    /// (start day, N, the N-th working day) on the real calendar; the due time is 00:00 of the day after.
    static let workingDayTable: [(String, Int, String)] = [
        // ordinary weeks
        ("2024-11-14", 1, "2024-11-15"),   // Thu → Fri
        ("2024-11-15", 1, "2024-11-18"),   // Fri → Mon: the weekend does not count
        ("2024-11-16", 1, "2024-11-18"),   // from a Saturday
        ("2024-11-17", 1, "2024-11-18"),   // from a Sunday
        ("2024-11-18", 5, "2024-11-25"),
        ("2024-10-30", 20, "2024-11-27"),  // the API.md example plan's school-safety task
        // 30/4–1/5/2025: off Wed 30/4 … Sun 4/5 (Fri 2/5 swapped for Sat 26/4, which is worked)
        ("2025-04-24", 1, "2025-04-25"),
        ("2025-04-24", 2, "2025-04-26"),   // the make-up Saturday counts
        ("2025-04-24", 3, "2025-04-28"),
        ("2025-04-24", 5, "2025-05-05"),
        ("2025-04-29", 1, "2025-05-05"),
        // 30/4–1/5/2024: off Sat 27/4 … Wed 1/5, Sat 4/5 worked
        ("2024-04-26", 1, "2024-05-02"),
        ("2024-04-26", 3, "2024-05-04"),
        ("2024-04-26", 4, "2024-05-06"),
        // Tết Ất Tỵ 2025: off 25/01 … 02/02
        ("2025-01-24", 1, "2025-02-03"),
        ("2025-01-22", 3, "2025-02-03"),
        ("2025-01-24", 5, "2025-02-07"),
        ("2024-12-31", 1, "2025-01-02"),   // 1/1 is a holiday
        // 2026: 1/1 … 4/1 off, Sat 10/1 worked; Tết Bính Ngọ 14/02 … 22/02; Giỗ Tổ 26–27/4; 30/4–1/5
        ("2025-12-31", 1, "2026-01-05"),
        ("2025-12-31", 6, "2026-01-10"),
        ("2026-02-13", 1, "2026-02-23"),
        ("2026-02-12", 2, "2026-02-23"),
        ("2026-04-24", 1, "2026-04-28"),
        ("2026-04-24", 3, "2026-05-04"),
        // 2027 is listed with what is certain of Tết: 5–8/2
        ("2027-02-04", 1, "2027-02-09"),
        // the largest count
        ("2024-01-01", 366, "2025-06-23"),
    ]

    @Test("working_days: the end of the N-th working day after the start day", arguments: workingDayTable)
    func workingDays(start: String, n: Int, nth: String) throws {
        let due = try Self.vnContext().resolve(.workingDays(n), startDay: day(start), now: Self.now)
        #expect(due == instant("\(day(nth).adding(days: 1))T00:00:00+07:00"))
        #expect(RFC3339.format(due, in: Fixture.hcm) == "\(day(nth).adding(days: 1))T00:00:00+07:00")
    }

    /// Beyond the listed years only weekends and 1/1, 30/4, 1/5, 2/9 are off: no Tết, no swaps, no compensation.
    static let beyondListedYears: [(String, Int, String)] = [
        ("2028-04-28", 1, "2028-05-02"),   // Sat, Sun (30/4), Mon 1/5 off; no day in lieu for 30/4
        ("2028-12-29", 1, "2029-01-02"),   // Mon 1/1/2029 off
        ("2028-01-25", 1, "2028-01-26"),   // Tết 2028 is not known: a working day
        ("2028-02-28", 1, "2028-02-29"),   // a leap day is an ordinary working day
        ("2022-12-30", 1, "2023-01-02"),   // before the listed years too: 1/1/2023 was a Sunday, no day in lieu
        ("2030-08-30", 1, "2030-09-03"),   // Mon 2/9/2030 off
    ]

    @Test("working_days beyond the listed years", arguments: beyondListedYears)
    func beyondListed(start: String, n: Int, nth: String) throws {
        let vn = try Self.vnContext().resolve(.workingDays(n), startDay: day(start), now: Self.now)
        #expect(vn == day(nth).adding(days: 1).start(in: Fixture.hcm))
        // The built-in fallback calendar agrees there.
        let fallback = DeadlineContext(zone: Fixture.hcm, calendar: .fallback)
        #expect(try fallback.resolve(.workingDays(n), startDay: day(start), now: Self.now) == vn)
    }

    @Test("the fallback calendar knows nothing of Tết or make-up Saturdays")
    func fallbackIsNotTheRealCalendar() throws {
        let fallback = DeadlineContext(zone: Fixture.hcm, calendar: .fallback)
        #expect(try fallback.resolve(.workingDays(1), startDay: day("2025-01-24"), now: Self.now)
                == instant("2025-01-28T00:00:00+07:00"))
    }

    @Test("working_days property: the due day follows a working day, and exactly N working days lie between")
    func workingDaysProperty() throws {
        let ctx = try Self.vnContext()
        let cal = ctx.calendar
        var start = day("2023-12-20")
        var checked = 0
        while start < day("2028-01-10") {
            for n in [1, 2, 3, 7, 15, 30] {
                let due = try ctx.resolve(.workingDays(n), startDay: start, now: Self.now)
                let last = LocalDate(containing: due.addingTimeInterval(-1), in: Fixture.hcm)
                if !cal.isWorkingDay(last) || cal.workingDays(after: start, through: last) != n
                    || cal.workingDays(after: start, through: last.adding(days: -1)) != n - 1
                    || LocalDate(containing: due, in: Fixture.hcm).start(in: Fixture.hcm) != due {
                    Issue.record("working_days \(n) from \(start) → \(RFC3339.format(due, in: Fixture.hcm))")
                    return
                }
                checked += 1
            }
            start = start.adding(days: 3)
        }
        #expect(checked > 2500)
    }

    // MARK: yearly_before

    static let half = ["06-01", "12-01"].compactMap(MonthDay.init)

    @Test("yearly_before: the first listed day that begins strictly after now", arguments: [
        ("2024-10-30T10:00:00+07:00", "2024-12-01"),
        ("2024-11-30T23:59:59+07:00", "2024-12-01"),
        ("2024-12-01T00:00:00+07:00", "2025-06-01"),   // exactly at the start: not after, so the next
        ("2024-12-01T00:00:01+07:00", "2025-06-01"),
        ("2024-12-31T23:59:59+07:00", "2025-06-01"),   // year wrap
        ("2025-01-01T00:00:00+07:00", "2025-06-01"),
        ("2025-05-31T16:59:59Z", "2025-06-01"),
        ("2025-05-31T17:00:00Z", "2025-12-01"),        // = 2025-06-01T00:00+07:00
    ])
    func yearly(now: String, expected: String) throws {
        let ctx = try Self.vnContext()
        let due = try ctx.resolve(.yearlyBefore(Self.half), startDay: day("2000-01-01"), now: instant(now))
        #expect(due == instant("\(expected)T00:00:00+07:00"))
        let next = ctx.nextOccurrence(Self.half, after: instant(now))
        #expect(next.day == day(expected))
        #expect(next.dueAt == due)
    }

    @Test("yearly_before with one date wraps to next year; the year is read in the plan's zone")
    func yearlyOneDate() throws {
        let ctx = try Self.vnContext()
        let jan1 = [try #require(MonthDay("01-01"))]
        // 2024-12-31T17:00Z is already 2025-01-01 00:00 in +07:00: that 1/1 has begun.
        #expect(ctx.nextOccurrence(jan1, after: instant("2024-12-31T16:59:59Z")).day == day("2025-01-01"))
        #expect(ctx.nextOccurrence(jan1, after: instant("2024-12-31T17:00:00Z")).day == day("2026-01-01"))
        let dec31 = [try #require(MonthDay("12-31"))]
        #expect(ctx.nextOccurrence(dec31, after: instant("2024-12-31T00:00:01+07:00")).day == day("2025-12-31"))
        #expect(ctx.nextOccurrence(dec31, after: instant("2024-12-30T23:59:59+07:00")).day == day("2024-12-31"))
    }

    @Test("yearly_before with several unsorted dates picks the nearest")
    func yearlySeveral() throws {
        let ctx = try Self.vnContext()
        let days = ["09-01", "03-01", "06-01"].compactMap(MonthDay.init)
        #expect(ctx.nextOccurrence(days, after: instant("2025-07-01T00:00:00+07:00")).day == day("2025-09-01"))
        #expect(ctx.nextOccurrence(days, after: instant("2025-02-28T12:00:00+07:00")).day == day("2025-03-01"))
        #expect(ctx.nextOccurrence(days, after: instant("2025-09-01T00:00:00+07:00")).day == day("2026-03-01"))
        #expect(try ctx.resolve(.yearlyBefore(days), startDay: day("2025-01-01"), now: instant("2025-03-01T00:00:00+07:00"))
                == instant("2025-06-01T00:00:00+07:00"))
    }

    @Test("yearly_before in a UTC plan uses UTC midnights")
    func yearlyUTC() {
        let ctx = DeadlineContext(zone: Fixture.utc, calendar: .fallback)
        // 2024-11-30T20:00Z is already 12-01 in +07:00, but not in UTC.
        #expect(ctx.nextOccurrence(Self.half, after: instant("2024-11-30T20:00:00Z")).dueAt == instant("2024-12-01T00:00:00Z"))
    }

    @Test("yearly_before property: always after now, within a year, and nothing listed in between")
    func yearlyProperty() throws {
        let ctx = try Self.vnContext()
        let sets: [[MonthDay]] = [Self.half, ["01-01"].compactMap(MonthDay.init), ["03-15", "07-31", "11-30", "12-31"].compactMap(MonthDay.init)]
        var t = instant("2024-01-01T00:00:00+07:00")
        while t < instant("2027-01-01T00:00:00+07:00") {
            for days in sets {
                let next = ctx.nextOccurrence(days, after: t)
                let ok = next.dueAt > t && next.dueAt.timeIntervalSince(t) <= 366 * 86400
                    && next.dueAt == next.day.start(in: Fixture.hcm)
                    && days.contains(MonthDay(month: next.day.month, day: next.day.day))
                    && !(1..<(next.day.dayNumber - LocalDate(containing: t, in: Fixture.hcm).dayNumber)).contains { offset in
                        let d = LocalDate(containing: t, in: Fixture.hcm).adding(days: offset)
                        return days.contains(MonthDay(month: d.month, day: d.day)) && d.start(in: Fixture.hcm) > t
                    }
                if !ok {
                    Issue.record("next of \(days) after \(RFC3339.format(t, in: Fixture.hcm)) is \(next.day)")
                    return
                }
            }
            t = t.addingTimeInterval(86400 + 17 * 60 + 7)
        }
    }
}

import Foundation

/// Which days are working days: weekdays, minus public holidays, plus make-up working days.
///
/// Years the calendar lists are exact (holidays, swaps and make-up Saturdays as announced);
/// beyond them only the weekend and the fixed-date holidays count.
public struct WorkingCalendar: Sendable, Hashable {
    /// A dated entry and where it comes from.
    public struct Entry: Sendable, Hashable {
        public let date: LocalDate
        public let name: String
        public let source: String?
    }

    public let name: String
    public let title: String
    public let timeZone: String
    /// ISO weekdays (1 = Monday … 7 = Sunday) that are not working days.
    public let weekend: Set<Int>
    /// Fixed-date holidays of every year.
    public let fixedHolidays: [MonthDay: String]
    /// The years listed in full.
    public let listedYears: Set<Int>
    /// Days off by day number (holidays, bridge days).
    public let holidays: [Int: Entry]
    /// Weekend days that are working days, by day number.
    public let workingDays: [Int: Entry]

    public init(name: String, title: String, timeZone: String, weekend: Set<Int>, fixedHolidays: [MonthDay: String],
                listedYears: Set<Int>, holidays: [Entry], workingDays: [Entry]) {
        self.name = name
        self.title = title
        self.timeZone = timeZone
        self.weekend = weekend
        self.fixedHolidays = fixedHolidays
        self.listedYears = listedYears
        self.holidays = Dictionary(holidays.map { ($0.date.dayNumber, $0) }, uniquingKeysWith: { a, _ in a })
        self.workingDays = Dictionary(workingDays.map { ($0.date.dayNumber, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Is `date` a working day?
    public func isWorkingDay(_ date: LocalDate) -> Bool {
        let n = date.dayNumber
        if workingDays[n] != nil { return true }
        if holidays[n] != nil { return false }
        if weekend.contains(date.weekday) { return false }
        if fixedHolidays[MonthDay(month: date.month, day: date.day)] != nil { return false }
        return true
    }

    /// Why `date` is not a working day, or nil when it is one.
    public func reasonOff(_ date: LocalDate) -> String? {
        let n = date.dayNumber
        if workingDays[n] != nil { return nil }
        if let h = holidays[n] { return h.name }
        if weekend.contains(date.weekday) { return "weekend" }
        return fixedHolidays[MonthDay(month: date.month, day: date.day)]
    }

    /// The `n`-th working day after `start` (`start` itself never counts); `n` ≥ 1.
    public func addingWorkingDays(_ n: Int, to start: LocalDate) -> LocalDate {
        precondition(n >= 1, "count working days from 1")
        var day = start
        var counted = 0
        while counted < n {
            day = day.adding(days: 1)
            if isWorkingDay(day) { counted += 1 }
        }
        return day
    }

    /// The `n`-th working day before `end` (`end` itself never counts); `n` ≥ 1.
    public func subtractingWorkingDays(_ n: Int, from end: LocalDate) -> LocalDate {
        precondition(n >= 1, "count working days from 1")
        var day = end
        var counted = 0
        while counted < n {
            day = day.adding(days: -1)
            if isWorkingDay(day) { counted += 1 }
        }
        return day
    }

    /// Working days in the half-open span (`from`, `to`]: 0 when `to` ≤ `from`.
    public func workingDays(after from: LocalDate, through to: LocalDate) -> Int {
        guard to > from else { return 0 }
        var count = 0
        var day = from.adding(days: 1)
        while day <= to {
            if isWorkingDay(day) { count += 1 }
            day = day.adding(days: 1)
        }
        return count
    }

    /// Working days between two instants: whole working days from the day after `from` through the day of `to`, in the calendar's zone.
    public func workingDays(between from: Date, and to: Date) -> Int {
        let zone = zoneValue
        return workingDays(after: LocalDate(containing: from, in: zone), through: LocalDate(containing: to, in: zone))
    }

    /// The calendar's time zone.
    public var zoneValue: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 7 * 3600)! }

    /// Every day of `year` that is not a working day although it is a weekday, and every working weekend day.
    public func exceptions(in year: Int) -> (off: [(LocalDate, String)], working: [(LocalDate, String)]) {
        var off: [(LocalDate, String)] = [], working: [(LocalDate, String)] = []
        var day = LocalDate(year: year, month: 1, day: 1)!
        while day.year == year {
            let isWeekend = weekend.contains(day.weekday)
            if isWorkingDay(day) {
                if isWeekend { working.append((day, workingDays[day.dayNumber]?.name ?? "")) }
            } else if !isWeekend {
                off.append((day, reasonOff(day) ?? ""))
            }
            day = day.adding(days: 1)
        }
        return (off, working)
    }
}

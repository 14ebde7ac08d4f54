import Foundation

/// A plan's zone and working calendar: what turns a due form into an instant.
public struct DeadlineContext: Sendable {
    public let zone: TimeZone
    public let calendar: WorkingCalendar

    public init(zone: TimeZone, calendar: WorkingCalendar) {
        self.zone = zone
        self.calendar = calendar
    }

    /// The instant a one-off form is due.
    ///
    /// - Parameters:
    ///   - startDay: the day `working_days` counts from (not itself counted).
    ///   - now: for `yearly_before`, the first listed day after `now`.
    public func resolve(_ form: DueForm, startDay: LocalDate, now: Date) throws -> Date {
        switch form {
        case .before(let d): return d.start(in: zone)
        case .on(let d): return d.adding(days: 1).start(in: zone)
        case .at(let t): return t
        case .workingDays(let n):
            return calendar.addingWorkingDays(n, to: startDay).adding(days: 1).start(in: zone)
        case .yearlyBefore(let days):
            return nextOccurrence(days, after: now).dueAt
        }
    }

    /// The first of `days` (each year) that begins strictly after `instant`.
    public func nextOccurrence(_ days: [MonthDay], after instant: Date) -> (day: LocalDate, dueAt: Date) {
        precondition(!days.isEmpty, "a recurrence lists at least one day")
        let year = LocalDate(containing: instant, in: zone).year
        for y in year...(year + 1) {
            for md in days.sorted() {
                let day = md.date(in: y)
                let due = day.start(in: zone)
                if due > instant { return (day, due) }
            }
        }
        let day = days.sorted()[0].date(in: year + 2)
        return (day, day.start(in: zone))
    }

    /// The limit to acknowledge a task assigned at `assignedAt`: the end of the `within`-th working day after that day.
    public func acknowledgeBy(assignedAt: Date, within: Int) -> Date {
        calendar.addingWorkingDays(max(1, within), to: LocalDate(containing: assignedAt, in: zone)).adding(days: 1).start(in: zone)
    }
}

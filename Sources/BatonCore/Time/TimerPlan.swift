import Foundation

/// When the timers of a task with a due time fire: reminders before it, the overdue mark at it,
/// escalation after it. Pure: the store writes these rows with the task and fires them later.
public struct TimerPlan: Sendable, Hashable {
    public struct Timer: Sendable, Hashable {
        /// `remind:N`, `overdue` or `escalate`.
        public let kind: String
        public let fireAt: Date
    }

    public let timers: [Timer]

    /// Office hours start at 07:00: reminders come at the start of the working day.
    public static let reminderHour = 7

    /// - Parameters:
    ///   - dueAt: the due time in force.
    ///   - settings: the workflow's `remind_before` and `escalate_after`.
    ///   - after: timers at or before this instant are left out (nothing to remind about in the past).
    public init(dueAt: Date, deadlines: DeadlineContext, settings: WorkflowDefinition.Settings, after: Date) {
        let cal = deadlines.calendar
        let zone = deadlines.zone
        // The last day of work before the deadline: the day before 00:00 of the due day, or earlier.
        var lastDay = LocalDate(containing: dueAt.addingTimeInterval(-1), in: zone)
        if !cal.isWorkingDay(lastDay) { lastDay = cal.subtractingWorkingDays(1, from: lastDay) }
        var timers: [Timer] = []
        for n in Set(settings.remindBefore).sorted(by: >) {
            // N working days before: the day when N working days are left, counting that day.
            let day = n == 1 ? lastDay : cal.subtractingWorkingDays(n - 1, from: lastDay)
            let at = day.start(in: zone).addingTimeInterval(Double(Self.reminderHour * 3600))
            if at > after && at < dueAt { timers.append(Timer(kind: "remind:\(n)", fireAt: at)) }
        }
        timers.append(Timer(kind: "overdue", fireAt: dueAt))
        let escalate = cal.addingWorkingDays(max(1, settings.escalateAfter), to: lastDay).adding(days: 1).start(in: zone)
        timers.append(Timer(kind: "escalate", fireAt: max(escalate, dueAt)))
        self.timers = timers
    }
}

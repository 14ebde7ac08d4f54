import BatonCore
import BatonStore
import Foundation

/// How the pages write times, dates and deadlines: `dd/mm/yyyy`, `HH:mm`, in the plan's zone, and a
/// deadline in the words the plan used.
enum Format {
    /// `15/11/2024`.
    static func date(_ d: LocalDate) -> String { dayMonth(d.day, d.month) + "/\(d.year)" }

    /// `01/06`.
    static func dayMonth(_ day: Int, _ month: Int) -> String {
        var s = ""
        Digits.append(day, width: 2, to: &s)
        s += "/"
        Digits.append(month, width: 2, to: &s)
        return s
    }

    /// `15/11/2024` for the day `t` falls on in its zone.
    static func date(_ t: ZonedTime) -> String { date(LocalDate(containing: t.date, in: t.zone)) }

    /// `15/11/2024 08:30`.
    static func dateTime(_ t: ZonedTime) -> String {
        let local = Int((t.date.timeIntervalSince1970 + Double(t.zone.secondsFromGMT(for: t.date))).rounded(.down))
        let secondsOfDay = ((local % 86400) + 86400) % 86400
        var s = date(t) + " "
        Digits.append(secondsOfDay / 3600, width: 2, to: &s)
        s += ":"
        Digits.append((secondsOfDay % 3600) / 60, width: 2, to: &s)
        return s
    }

    /// What an open task waits on, in words: an extension asked for, a handoff proposed, a difficulty
    /// reported (in that order). `names` gives agencies' names by code.
    static func pendingNotices(_ pending: JSONValue, names: [String: String], _ t: Catalogue) -> [String] {
        var notices: [String] = []
        if let due = pending["extension"]?["due"] { notices.append(t.text("task.pending_extension", ["due": Format.due(due, dueAt: nil, t)])) }
        if let to = pending["handoff"]?["to"]?.stringValue { notices.append(t.text("task.pending_handoff", ["agency": names[to] ?? to])) }
        if let note = pending["difficulty"]?["note"]?.stringValue { notices.append(t.text("task.open_difficulty", ["note": note])) }
        return notices
    }

    /// A due time in the plan's words: "trước ngày 15/11/2024", "đến hết ngày 30/06/2026",
    /// "hằng năm trước ngày 01/06, 01/12", else its instant.
    static func due(_ form: JSONValue?, dueAt: ZonedTime?, _ t: Catalogue) -> String {
        switch form.flatMap({ try? DueForm(json: $0, field: "due") }) {
        case .before(let d): return t.text("due.before_text", ["date": date(d)])
        case .on(let d): return t.text("due.on_text", ["date": date(d)])
        case .yearlyBefore(let days): return t.text("due.recurring", ["dates": days.map { dayMonth($0.day, $0.month) }.joined(separator: ", ")])
        case .at, .workingDays, nil: break
        }
        guard let dueAt else { return t.text("common.no_due") }
        return dateTime(dueAt)
    }

    /// "còn 3 ngày", "hôm nay", "quá hạn 2 ngày": whole days between `now` and the due time.
    static func remaining(_ dueAt: ZonedTime?, now: Date, _ t: Catalogue) -> String? {
        guard let dueAt else { return nil }
        let today = LocalDate(containing: now, in: dueAt.zone).dayNumber
        let dueDay = ReportPeriod.dueDay(of: dueAt.date, in: dueAt.zone).dayNumber
        if dueAt.date <= now { return t.text("due.days_late", ["n": String(max(1, today - dueDay))]) }
        if dueDay == today { return t.text("due.today") }
        return t.text("due.in_days", ["n": String(dueDay - today)])
    }
}

extension JSONValue {
    /// Whether an object has `key` with a value other than null.
    func has(_ key: String) -> Bool {
        guard let v = self[key] else { return false }
        return !v.isNull
    }
}

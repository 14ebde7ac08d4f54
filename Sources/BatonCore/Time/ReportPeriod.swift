import Foundation

/// The days a report covers: a year (`2026`), a half (`2026-H1`), a quarter (`2026-Q3`), a month
/// (`2026-06`), or any span of days from `from` through `to`.
///
/// A task belongs to the period that holds its *due day*: the local date (in the plan's zone) of the
/// last moment before its due time. `{on: 2026-06-30}` and `{before: 2026-07-01}` are both due at
/// 00:00 on 1/7, and both belong to 30/6, so to 2026-H1 — the way an office counts "đến ngày 30/6".
public struct ReportPeriod: Sendable, Hashable, CustomStringConvertible {
    /// The first day of the period.
    public let from: LocalDate
    /// The last day of the period (included).
    public let to: LocalDate

    /// A span of days; `to` may not come before `from`.
    public init(from: LocalDate, to: LocalDate) throws {
        guard from <= to else { throw BatonError.invalid("to", "the period ends (\(to)) before it starts (\(from))") }
        self.from = from
        self.to = to
    }

    /// The period a report asks for: `period` by name, or `from` and `to`; never both.
    public init(period: String?, from: LocalDate?, to: LocalDate?) throws {
        if let period {
            guard from == nil, to == nil else {
                throw BatonError.invalid("period", "give either a period or from and to, not both")
            }
            try self.init(name: period)
            return
        }
        guard let from else { throw BatonError.invalid("from", "is required (YYYY-MM-DD), unless a period is given (2026-H1)") }
        guard let to else { throw BatonError.invalid("to", "is required (YYYY-MM-DD), unless a period is given (2026-H1)") }
        try self.init(from: from, to: to)
    }

    /// Reads a period's name: `2026`, `2026-H1`, `2026-Q3` or `2026-06`.
    public init(name: String, field: String = "period") throws {
        let u = Array(name.utf8)
        func number(_ r: Range<Int>) -> Int? {
            guard r.upperBound <= u.count else { return nil }
            var v = 0
            for i in r {
                guard u[i] >= 48 && u[i] <= 57 else { return nil }
                v = v * 10 + Int(u[i] - 48)
            }
            return v
        }
        let wrong = BatonError.invalid(field, "'\(name.prefix(40))' is not a period: a year (2026), a half (2026-H1), a quarter (2026-Q3) or a month (2026-06)")
        guard u.count >= 4, let year = number(0..<4), LocalDate.years.contains(year) else { throw wrong }
        let months: ClosedRange<Int>
        switch u.count {
        case 4:
            months = 1...12
        case 7 where u[4] == 45 && u[5] == UInt8(ascii: "H"):
            guard let h = number(6..<7), (1...2).contains(h) else { throw wrong }
            months = (h - 1) * 6 + 1 ... h * 6
        case 7 where u[4] == 45 && u[5] == UInt8(ascii: "Q"):
            guard let q = number(6..<7), (1...4).contains(q) else { throw wrong }
            months = (q - 1) * 3 + 1 ... q * 3
        case 7 where u[4] == 45:
            guard let m = number(5..<7), (1...12).contains(m) else { throw wrong }
            months = m...m
        default:
            throw wrong
        }
        from = LocalDate(year: year, month: months.lowerBound, day: 1)!
        to = LocalDate(year: year, month: months.upperBound, day: LocalDate.daysIn(month: months.upperBound, year: year))!
    }

    /// The period's name when it is exactly a year, a half, a quarter or a month; nil for any other span.
    public var name: String? {
        guard from.year == to.year, from.day == 1, to.day == LocalDate.daysIn(month: to.month, year: to.year) else { return nil }
        let year = String(from.year)
        switch (from.month, to.month) {
        case (1, 12): return year
        case (1, 6): return year + "-H1"
        case (7, 12): return year + "-H2"
        case let (a, b) where b == a + 2 && a % 3 == 1: return year + "-Q\((a + 2) / 3)"
        case let (a, b) where a == b: return year + (a < 10 ? "-0\(a)" : "-\(a)")
        default: return nil
        }
    }

    public var description: String { name ?? "\(from)..\(to)" }

    /// The first instant of the period in `zone`, exclusive: a task due exactly then belongs to the day before.
    public func start(in zone: TimeZone) -> Date { from.start(in: zone) }

    /// The last instant of the period in `zone`, inclusive: a task due exactly then belongs to the period's last day.
    public func end(in zone: TimeZone) -> Date { to.adding(days: 1).start(in: zone) }

    /// Whether a task due at `dueAt` belongs to this period: its due day lies within it.
    public func contains(dueAt: Date, in zone: TimeZone) -> Bool {
        contains(day: ReportPeriod.dueDay(of: dueAt, in: zone))
    }

    /// Whether `day` lies within the period.
    public func contains(day: LocalDate) -> Bool { from <= day && day <= to }

    /// A run of whole calendar years, whole months, or days within a period: the years (months, days) that start
    /// on `first` through `last`.
    public struct Span: Sendable, Hashable, CustomStringConvertible {
        public enum Grain: String, Sendable, Hashable { case year = "y", month = "m", day = "d" }
        public let grain: Grain
        public let first: LocalDate
        public let last: LocalDate
        public var description: String { "\(grain.rawValue) \(first)..\(last)" }
    }

    /// The period as runs of whole years, whole months and days, the largest that fit, in order: `2026` is one year,
    /// 2026-H1 six months, 15/11/2025–10/2/2028 the days 15–30/11, the month 12/2025, the years 2026 and 2027, the
    /// month 1/2028 and the days 1–10/2. The kept statistics are summed per month and per
    /// year as well as per day, so a year's report reads one total per agency and bucket instead of one per day.
    public var cover: [Span] {
        var spans: [Span] = []
        var d = from
        while d <= to {
            let grain: Span.Grain, next: LocalDate
            let monthEnd = LocalDate(year: d.year, month: d.month, day: LocalDate.daysIn(month: d.month, year: d.year))!
            if d.day == 1 && d.month == 1 && LocalDate(year: d.year, month: 12, day: 31)! <= to {
                (grain, next) = (.year, LocalDate(year: d.year + 1, month: 1, day: 1)!)
            } else if d.day == 1 && monthEnd <= to {
                (grain, next) = (.month, monthEnd.adding(days: 1))
            } else {
                (grain, next) = (.day, d.adding(days: 1))
            }
            if let last = spans.last, last.grain == grain {
                spans[spans.count - 1] = Span(grain: grain, first: last.first, last: d)
            } else {
                spans.append(Span(grain: grain, first: d, last: d))
            }
            d = next
        }
        return spans
    }

    /// The day a task due at `dueAt` counts on: the local date of the last moment before its due time.
    public static func dueDay(of dueAt: Date, in zone: TimeZone) -> LocalDate {
        LocalDate(containing: dueAt.addingTimeInterval(-0.000_001), in: zone)
    }
}

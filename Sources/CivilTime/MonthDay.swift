/// A month and day that recurs every year: "01/6 hàng năm" is `06-01`.
public struct MonthDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let month: Int
    public let day: Int

    /// Parses `MM-DD`; 02-29 is refused because it does not occur every year.
    public init?(_ text: String) {
        var reader = Digits.Reader(text)
        guard let m = reader.number(2), reader.skip("-"), let d = reader.number(2), reader.atEnd,
              (1...12).contains(m), (1...LocalDate.daysIn(month: m, year: 2023)).contains(d) else { return nil }
        month = m
        day = d
    }

    /// Any month and day of a real date, 02-29 included (the parser refuses it; a lookup must not
    /// turn it into another day).
    public init(month: Int, day: Int) {
        self.month = month
        self.day = day
    }

    public func date(in year: Int) -> LocalDate { LocalDate(year: year, month: month, day: day)! }

    public var description: String {
        var out = ""
        Digits.append(month, width: 2, to: &out)
        out.append("-")
        Digits.append(day, width: 2, to: &out)
        return out
    }

    public static func < (a: MonthDay, b: MonthDay) -> Bool { (a.month, a.day) < (b.month, b.day) }
}

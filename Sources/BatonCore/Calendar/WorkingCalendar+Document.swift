import Foundation

extension WorkingCalendar {
    static let weekdayNames = ["monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7]

    /// Reads and validates a calendar document (`workflows/calendars/*.yaml`).
    ///
    /// Refuses unknown keys, impossible dates, entries outside their year, a day listed twice,
    /// a "working day" that is not a weekend day, and listed entries without a source.
    public init(yaml text: String, file: String = "calendar") throws {
        let doc = try JSONValue.parse(yaml: text)
        do {
            try self.init(document: doc)
        } catch let e as BatonError where e.code == .validationFailed {
            throw BatonError.invalid("\(file): \(e.field ?? "(top)")", e.detail)
        }
    }

    private init(document: JSONValue) throws {
        let root = try Fields(document, allowed: ["name", "title", "time_zone", "weekend", "fixed_holidays", "years"],
                              what: "a calendar", notObject: "must be a mapping")
        guard let name = try root.string("name"), name.wholeMatch(of: /[a-z][a-z0-9_-]{0,31}/) != nil else {
            throw BatonError.invalid("name", "must be a short lower-case name such as vn")
        }
        let zoneName = try root.string("time_zone") ?? PlanDocument.defaultTimeZone
        guard TimeZone(identifier: zoneName) != nil else { throw BatonError.invalid("time_zone", "unknown time zone \(zoneName)") }
        var weekend = Set<Int>()
        for (i, w) in (root["weekend"]?.arrayValue ?? [.string("saturday"), .string("sunday")]).enumerated() {
            guard let s = w.stringValue, let d = Self.weekdayNames[s.lowercased()] else {
                throw BatonError.invalid("weekend[\(i)]", "must be a weekday name such as saturday")
            }
            weekend.insert(d)
        }
        var fixed: [MonthDay: String] = [:]
        for (i, value) in (root["fixed_holidays"]?.arrayValue ?? []).enumerated() {
            let f = try Fields(value, at: "fixed_holidays[\(i)]", allowed: ["date", "name"], what: "a fixed holiday (date, name)",
                               notObject: "must be a mapping")
            guard let text = try f.string("date"), let md = MonthDay(text) else { throw BatonError.invalid(f.at("date"), "must be MM-DD") }
            fixed[md] = try f.string("name") ?? text
        }
        var listed = Set<Int>()
        var holidays: [Entry] = [], working: [Entry] = []
        var seen: [Int: String] = [:]
        for (yearKey, yearValue) in (root["years"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let year = Int(yearKey), LocalDate.years.contains(year) else {
                throw BatonError.invalid("years.\(yearKey)", "must be a year from 1900 to 2999")
            }
            listed.insert(year)
            let y = try Fields(yearValue, at: "years.\(year)", allowed: ["holidays", "working_days"], what: "a year (holidays, working_days)",
                               notObject: "must be a mapping")
            for kind in ["holidays", "working_days"] {
                for (e, path) in try y.list(kind) {
                    let entry = try Fields(e, at: path, allowed: ["date", "from", "to", "name", "source"],
                                           what: "a listed day (date, or from and to; name; source)", notObject: "must be a mapping")
                    guard let entryName = try entry.string("name"), !entryName.isEmpty else { throw BatonError.invalid(path, "needs a name") }
                    guard let source = try entry.string("source"), !source.isEmpty else {
                        throw BatonError.invalid(path, "needs a source: the document that announces this day")
                    }
                    let days: [LocalDate]
                    if let d = try entry.string("date") {
                        guard let date = LocalDate(d) else { throw BatonError.invalid(entry.at("date"), "\(d) is not a real YYYY-MM-DD date") }
                        days = [date]
                    } else if let f = try entry.string("from"), let t = try entry.string("to") {
                        guard let from = LocalDate(f), let to = LocalDate(t), from <= to, to.dayNumber - from.dayNumber < 31 else {
                            throw BatonError.invalid(path, "from/to must be real dates, from ≤ to, at most 31 days")
                        }
                        days = (from.dayNumber...to.dayNumber).map(LocalDate.init(dayNumber:))
                    } else {
                        throw BatonError.invalid(path, "needs date, or from and to")
                    }
                    for day in days {
                        guard day.year == year else { throw BatonError.invalid(path, "\(day) is not in \(year)") }
                        if let other = seen[day.dayNumber] { throw BatonError.invalid(path, "\(day) is already listed (\(other))") }
                        seen[day.dayNumber] = entryName
                        if kind == "working_days" && !weekend.contains(day.weekday) {
                            throw BatonError.invalid(path, "\(day) is already a working day; list only weekend days worked in make-up")
                        }
                        let item = Entry(date: day, name: entryName, source: source)
                        if kind == "holidays" { holidays.append(item) } else { working.append(item) }
                    }
                }
            }
        }
        self.init(name: name, title: try root.string("title") ?? name, timeZone: zoneName, weekend: weekend,
                  fixedHolidays: fixed, listedYears: listed, holidays: holidays, workingDays: working)
    }

    /// Weekends and the four fixed-date holidays of Vietnamese law: what counts when no calendar is loaded.
    public static let fallback = WorkingCalendar(
        name: "fixed", title: "Weekends and fixed-date holidays", timeZone: PlanDocument.defaultTimeZone, weekend: [6, 7],
        fixedHolidays: [MonthDay("01-01")!: "Tết Dương lịch", MonthDay("04-30")!: "Ngày Chiến thắng",
                        MonthDay("05-01")!: "Ngày Quốc tế lao động", MonthDay("09-02")!: "Quốc khánh"],
        listedYears: [], holidays: [], workingDays: [])
}

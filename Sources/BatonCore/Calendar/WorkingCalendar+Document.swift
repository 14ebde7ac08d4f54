import Foundation

extension WorkingCalendar {
    static let weekdayNames = ["monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7]

    /// Reads and validates a calendar document (`workflows/calendars/*.yaml`).
    ///
    /// Refuses unknown keys, impossible dates, entries outside their year, a day listed twice,
    /// a "working day" that is not a weekend day, and listed entries without a source.
    public init(yaml text: String, file: String = "calendar") throws {
        let doc = try JSONValue.parse(yaml: text)
        func fail(_ field: String, _ message: String) -> BatonError {
            BatonError.invalid("\(file): \(field)", message)
        }
        guard let root = doc.objectValue else { throw fail("(top)", "must be a mapping") }
        let known: Set<String> = ["name", "title", "time_zone", "weekend", "fixed_holidays", "years"]
        if let extra = root.keys.first(where: { !known.contains($0) }) { throw fail(extra, "unknown key") }
        guard let name = root["name"]?.stringValue, name.wholeMatch(of: /[a-z][a-z0-9_-]{0,31}/) != nil else {
            throw fail("name", "must be a short lower-case name such as vn")
        }
        let zoneName = root["time_zone"]?.stringValue ?? PlanDocument.defaultTimeZone
        guard TimeZone(identifier: zoneName) != nil else { throw fail("time_zone", "unknown time zone \(zoneName)") }
        var weekend = Set<Int>()
        for (i, w) in (root["weekend"]?.arrayValue ?? [.string("saturday"), .string("sunday")]).enumerated() {
            guard let s = w.stringValue, let d = Self.weekdayNames[s.lowercased()] else {
                throw fail("weekend[\(i)]", "must be a weekday name such as saturday")
            }
            weekend.insert(d)
        }
        var fixed: [MonthDay: String] = [:]
        for (i, f) in (root["fixed_holidays"]?.arrayValue ?? []).enumerated() {
            if let extra = f.objectValue?.keys.sorted().first(where: { $0 != "date" && $0 != "name" }) {
                throw fail("fixed_holidays[\(i)].\(extra)", "unknown key; use date and name")
            }
            guard let text = f["date"]?.stringValue, let md = MonthDay(text) else {
                throw fail("fixed_holidays[\(i)].date", "must be MM-DD")
            }
            fixed[md] = f["name"]?.stringValue ?? text
        }
        var listed = Set<Int>()
        var holidays: [Entry] = [], working: [Entry] = []
        var seen: [Int: String] = [:]
        for (yearKey, yearValue) in (root["years"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let year = Int(yearKey), LocalDate.years.contains(year) else { throw fail("years.\(yearKey)", "must be a year from 1900 to 2999") }
            listed.insert(year)
            guard let y = yearValue.objectValue else { throw fail("years.\(year)", "must be a mapping") }
            if let extra = y.keys.first(where: { $0 != "holidays" && $0 != "working_days" }) {
                throw fail("years.\(year).\(extra)", "unknown key; use holidays and working_days")
            }
            for kind in ["holidays", "working_days"] {
                for (i, e) in (y[kind]?.arrayValue ?? []).enumerated() {
                    let path = "years.\(year).\(kind)[\(i)]"
                    guard let entry = e.objectValue else { throw fail(path, "must be a mapping") }
                    if let extra = entry.keys.sorted().first(where: { !["date", "from", "to", "name", "source"].contains($0) }) {
                        throw fail("\(path).\(extra)", "unknown key; use date (or from and to), name and source")
                    }
                    guard let entryName = entry["name"]?.stringValue, !entryName.isEmpty else { throw fail(path, "needs a name") }
                    guard let source = entry["source"]?.stringValue, !source.isEmpty else {
                        throw fail(path, "needs a source: the document that announces this day")
                    }
                    let days: [LocalDate]
                    if let d = entry["date"]?.stringValue {
                        guard let date = LocalDate(d) else { throw fail(path + ".date", "\(d) is not a real YYYY-MM-DD date") }
                        days = [date]
                    } else if let f = entry["from"]?.stringValue, let t = entry["to"]?.stringValue {
                        guard let from = LocalDate(f), let to = LocalDate(t), from <= to, to.dayNumber - from.dayNumber < 31 else {
                            throw fail(path, "from/to must be real dates, from ≤ to, at most 31 days")
                        }
                        days = (from.dayNumber...to.dayNumber).map(LocalDate.init(dayNumber:))
                    } else {
                        throw fail(path, "needs date, or from and to")
                    }
                    for day in days {
                        guard day.year == year else { throw fail(path, "\(day) is not in \(year)") }
                        if let other = seen[day.dayNumber] { throw fail(path, "\(day) is already listed (\(other))") }
                        seen[day.dayNumber] = entryName
                        if kind == "working_days" && !weekend.contains(day.weekday) {
                            throw fail(path, "\(day) is already a working day; list only weekend days worked in make-up")
                        }
                        let item = Entry(date: day, name: entryName, source: source)
                        if kind == "holidays" { holidays.append(item) } else { working.append(item) }
                    }
                }
            }
        }
        self.init(name: name, title: root["title"]?.stringValue ?? name, timeZone: zoneName, weekend: weekend,
                  fixedHolidays: fixed, listedYears: listed, holidays: holidays, workingDays: working)
    }

    /// Weekends and the four fixed-date holidays of Vietnamese law: what counts when no calendar is loaded.
    public static let fallback = WorkingCalendar(
        name: "fixed", title: "Weekends and fixed-date holidays", timeZone: PlanDocument.defaultTimeZone, weekend: [6, 7],
        fixedHolidays: [MonthDay("01-01")!: "Tết Dương lịch", MonthDay("04-30")!: "Ngày Chiến thắng",
                        MonthDay("05-01")!: "Ngày Quốc tế lao động", MonthDay("09-02")!: "Quốc khánh"],
        listedYears: [], holidays: [], workingDays: [])
}

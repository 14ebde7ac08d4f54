/// What a duty's text says about when it is due, in the set phrases of the genre.
public enum DeadlinePhrase: Sendable, Hashable {
    /// A due form read from the text ("trước ngày 15/11/2024", "trước ngày 01/6 và 01/12 hàng năm",
    /// "trong thời hạn 03 ngày làm việc", "chậm nhất ngày 20/12", "(tháng 6/2023)").
    case due(DueForm)
    /// "Thường xuyên": an ongoing duty with no due time.
    case ongoing
    /// A phrase that says there is a deadline but not which ("định kỳ 6 tháng, năm" without days,
    /// a date with no year in a plan whose year is unknown, several different dates).
    case unread(String)
    /// Nothing about time.
    case none

    // The phrases, over folded words; compiled once (a regex literal is parsed each time it is evaluated).
    nonisolated(unsafe) static let yearlyPhrase = /(?:truoc|cham nhat) (?:ngay )?(\d{1,2}\/\d{1,2}(?: (?:va|,) (?:ngay )?\d{1,2}\/\d{1,2})*) (?:hang|moi) nam/
    nonisolated(unsafe) static let dayMonth = /(\d{1,2})\/(\d{1,2})/
    nonisolated(unsafe) static let datePhrase = /(truoc|cham nhat(?: la)?(?: vao)?) ngay (\d{1,2})\/(\d{1,2})(?:\/(\d{4}))?/
    nonisolated(unsafe) static let wordDatePhrase = /(truoc|cham nhat(?: la)?(?: vao)?) ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})/
    nonisolated(unsafe) static let workingDays = /(?:trong (?:thoi han |vong )?)?(\d{1,3}) ngay lam viec/
    nonisolated(unsafe) static let month = /(?:trong |truoc het )?thang (\d{1,2})\/(\d{4})/
    nonisolated(unsafe) static let periodic = /dinh ky(?: \d{1,2} thang)?(?: ,)?(?: (?:nam|quy|thang))?|(?:hang|moi) (?:nam|quy|thang)|(?:6|06|sau) thang (?:,|va) (?:ca )?nam/
    static let cues = ["truoc", "cham nhat", "lam viec", "thang", "dinh ky", "hang", "moi", "thuong xuyen"]

    /// Reads the phrases of `text`; a date without a year is read in `year` (the plan's).
    public static func read(_ text: String, year: Int?) -> DeadlinePhrase {
        let line = VietnameseText.tokens(text).filter { $0 != "(" && $0 != ")" }.joined(separator: " ")
        guard cues.contains(where: { line.contains($0) }) else { return .none }
        var yearly: [MonthDay] = []
        var dated: [DueForm] = []
        var unread: [String] = []
        func monthDay(_ d: Substring, _ m: Substring) -> MonthDay? {
            guard let d = Int(d), let m = Int(m) else { return nil }
            var text = ""
            Digits.append(m, width: 2, to: &text)
            text += "-"
            Digits.append(d, width: 2, to: &text)
            return MonthDay(text)
        }
        // "trước ngày 01/6 và 01/12 hàng năm"
        for m in line.matches(of: yearlyPhrase) {
            for day in m.output.1.matches(of: dayMonth) {
                if let md = monthDay(day.output.1, day.output.2) { yearly.append(md) } else { unread.append(String(m.output.0)) }
            }
        }
        var rest = yearly.isEmpty && unread.isEmpty ? line : line.replacing(yearlyPhrase, with: " ")
        for m in rest.matches(of: datePhrase) {
            let phrase = String(m.output.0)
            let y = m.output.4.flatMap { Int($0) } ?? year
            guard let y, let d = Int(m.output.2), let mo = Int(m.output.3), let date = LocalDate(year: y, month: mo, day: d) else {
                unread.append(phrase)
                continue
            }
            dated.append(m.output.1 == "truoc" ? .before(date) : .on(date))
        }
        if !dated.isEmpty || !unread.isEmpty { rest = rest.replacing(datePhrase, with: " ") }
        for m in rest.matches(of: wordDatePhrase) {
            if let d = Int(m.output.2), let mo = Int(m.output.3), let y = Int(m.output.4), let date = LocalDate(year: y, month: mo, day: d) {
                dated.append(m.output.1 == "truoc" ? .before(date) : .on(date))
            } else {
                unread.append(String(m.output.0))
            }
        }
        for m in rest.matches(of: workingDays) {
            if let n = Int(m.output.1), DueForm.workingDaysRange.contains(n) { dated.append(.workingDays(n)) } else { unread.append(String(m.output.0)) }
        }
        for m in rest.matches(of: month) {
            if let mo = Int(m.output.1), let y = Int(m.output.2), (1...12).contains(mo), LocalDate.years.contains(y) {
                dated.append(.on(LocalDate(year: y, month: mo, day: LocalDate.daysIn(month: mo, year: y))!))
            } else {
                unread.append(String(m.output.0))
            }
        }
        var distinct: [DueForm] = []
        for d in dated where !distinct.contains(d) { distinct.append(d) }
        if !yearly.isEmpty && distinct.isEmpty && unread.isEmpty {
            var days: [MonthDay] = []
            for d in yearly where !days.contains(d) { days.append(d) }
            return .due(.yearlyBefore(days.sorted()))
        }
        if distinct.count == 1 && yearly.isEmpty && unread.isEmpty { return .due(distinct[0]) }
        if distinct.count + (yearly.isEmpty ? 0 : 1) > 1 { return .unread("several deadlines: " + line.prefix(120)) }
        if let u = unread.first { return .unread(u) }
        if let m = line.firstMatch(of: periodic) { return .unread(String(m.output)) }
        if line.contains("thuong xuyen") { return .ongoing }
        return .none
    }
}

import BatonCore
import Foundation

/// How an agency typed in a form is read: its code, or "CODE — Name" as the picker fills it.
enum AgencyInput {
    static func code(_ text: String) -> String {
        let code = text.components(separatedBy: " — ").first ?? text
        return code.trimmingCharacters(in: .whitespaces)
    }

    /// Codes separated by commas, semicolons or new lines.
    static func codes(_ text: String?) -> [String] {
        (text ?? "").components(separatedBy: CharacterSet(charactersIn: ",;\n")).map { code($0) }.filter { !$0.isEmpty }
    }
}

/// How a deadline chosen in plain words is read into a due form of the API: `PREFIX.kind` is
/// `before`, `on`, `working_days`, `yearly_before` or `none`; `PREFIX.value` is a date (dd/mm/yyyy,
/// or yyyy-mm-dd), a number of working days, or days of the year (dd/mm, several separated by commas).
enum DueInput {
    static func read(_ form: Form, prefix: String) throws -> JSONValue? {
        let kind = form["\(prefix).kind"] ?? "none"
        let value = form["\(prefix).value"]
        switch kind {
        case "none":
            return nil
        case "before", "on":
            guard let value else { throw BatonError.invalid(prefix, "is required") }
            guard let day = date(value) else { throw BatonError.invalid(prefix, "'\(value.prefix(20))' is not a date dd/mm/yyyy") }
            return .object([kind: .string(day.description)])
        case "working_days":
            guard let value else { throw BatonError.invalid(prefix, "is required") }
            let range = DueForm.workingDaysRange
            guard let n = Int(value), range.contains(n) else {
                throw BatonError.invalid(prefix, "must be a number of working days from \(range.lowerBound) to \(range.upperBound)")
            }
            return .object(["working_days": .number(Double(n))])
        case "yearly_before":
            guard let value else { throw BatonError.invalid(prefix, "is required") }
            var days: [JSONValue] = []
            for part in value.components(separatedBy: ",") {
                let bits = part.trimmingCharacters(in: .whitespaces).components(separatedBy: "/")
                guard bits.count == 2, let d = Int(bits[0]), let m = Int(bits[1]), let md = MonthDay(String(format: "%02d-%02d", m, d)) else {
                    throw BatonError.invalid(prefix, "'\(part.prefix(20))' is not a day of the year dd/mm")
                }
                days.append(.string(md.description))
            }
            return .object(["yearly_before": .array(days)])
        default:
            throw BatonError.invalid(prefix, "unknown kind of deadline")
        }
    }

    /// `15/11/2024`, `15/11/24` is not accepted; `2024-11-15` is (what a date field sends).
    static func date(_ text: String) -> LocalDate? {
        if let d = LocalDate(text) { return d }
        let bits = text.components(separatedBy: "/")
        guard bits.count == 3, bits[2].count == 4, let d = Int(bits[0]), let m = Int(bits[1]), let y = Int(bits[2]) else { return nil }
        return LocalDate(year: y, month: m, day: d)
    }
}

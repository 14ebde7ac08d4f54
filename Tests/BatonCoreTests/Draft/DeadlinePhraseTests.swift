@testable import BatonCore
import Testing

@Suite struct DeadlinePhraseTests {
    static func day(_ s: String) -> LocalDate { LocalDate(s)! }
    static func md(_ s: String...) -> [MonthDay] { s.map { MonthDay($0)! } }

    @Test(arguments: [
        ("Gửi kế hoạch trước ngày 15/11/2024.", DeadlinePhrase.due(.before(day("2024-11-15")))),
        ("gửi trước ngày 5/1/2025", .due(.before(day("2025-01-05")))),
        ("Báo cáo trước ngày 20 tháng 12 năm 2025", .due(.before(day("2025-12-20")))),
        ("Báo cáo trước ngày 10/12", .due(.before(day("2025-12-10")))),
        ("Hoàn thành chậm nhất ngày 20/3", .due(.on(day("2025-03-20")))),
        ("chậm nhất là ngày 31/5/2026", .due(.on(day("2026-05-31")))),
        ("Báo cáo 6 tháng trước ngày 01/6 và 01/12 hàng năm.", .due(.yearlyBefore(md("06-01", "12-01")))),
        ("báo cáo trước ngày 25/10 hằng năm", .due(.yearlyBefore(md("10-25")))),
        ("Báo cáo 6 tháng: trước ngày 01/6 hàng năm; Báo cáo năm: trước ngày 01/12 hàng năm.", .due(.yearlyBefore(md("06-01", "12-01")))),
        ("xử lý trong thời hạn 03 ngày làm việc", .due(.workingDays(3))),
        ("trong vòng 10 ngày làm việc kể từ ngày nhận", .due(.workingDays(10))),
        ("tổ chức hội thi trong tháng 4/2025", .due(.on(day("2025-04-30")))),
        ("Tháng hành động (tháng 2/2024)", .due(.on(day("2024-02-29")))),
        ("Thường xuyên tuần tra các tuyến đường", .ongoing),
        ("Định kỳ 6 tháng, năm báo cáo kết quả", .unread("dinh ky 6 thang , nam")),
        ("báo cáo hàng quý về Ban Chỉ đạo", .unread("hang quy")),
        ("Thực hiện Quyết định số 12/QĐ-UBND ngày 28/9/2021 của UBND tỉnh", .none),
        ("Tuyên truyền cho học sinh", .none),
    ] as [(String, DeadlinePhrase)])
    func readsTheSetPhrases(_ text: String, _ expected: DeadlinePhrase) {
        #expect(DeadlinePhrase.read(text, year: 2025) == expected)
    }

    @Test func neverGuessesADate() {
        // No year in the text and none known for the plan.
        #expect(DeadlinePhrase.read("gửi trước ngày 15/11", year: nil) == .unread("truoc ngay 15/11"))
        // A day that does not exist.
        #expect(DeadlinePhrase.read("trước ngày 31/02/2025", year: 2025) == .unread("truoc ngay 31/02/2025"))
        #expect(DeadlinePhrase.read("trong thời hạn 0 ngày làm việc", year: 2025) == .unread("trong thoi han 0 ngay lam viec"))
        // Two different dates for one duty.
        guard case .unread(let why) = DeadlinePhrase.read("trước ngày 01/3/2025 và trước ngày 01/9/2025", year: 2025) else {
            Issue.record("two dates must not be merged into one")
            return
        }
        #expect(why.hasPrefix("several deadlines"))
    }
}

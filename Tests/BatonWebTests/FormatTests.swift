import BatonCore
import BatonStore
@testable import BatonWeb
import Foundation
import Testing

/// Dates as dd/mm/yyyy in the plan's zone, and deadlines in the words the plan used.
@Suite struct FormatTests {
    let vi = try! Renderer.bundled().catalogue("vi")
    let hcm = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    @Test func datesAndTimesArePaddedAndInThePlansZone() throws {
        #expect(Format.date(LocalDate(year: 2026, month: 3, day: 2)!) == "02/03/2026")
        #expect(Format.dayMonth(1, 6) == "01/06")
        // 2026-03-01T17:05Z is 00:05 on 2 March in Hồ Chí Minh City.
        let t = ZonedTime(RFC3339.parse("2026-03-01T17:05:00Z")!, hcm)
        #expect(Format.dateTime(t) == "02/03/2026 00:05")
        #expect(Format.date(t) == "02/03/2026")
    }

    @Test func aDeadlineIsToldAsThePlanWroteIt() throws {
        let at = ZonedTime(RFC3339.parse("2026-11-15T00:00:00+07:00")!, hcm)
        #expect(Format.due(.object(["before": .string("2026-11-15")]), dueAt: at, vi) == "trước ngày 15/11/2026")
        #expect(Format.due(.object(["on": .string("2026-06-30")]), dueAt: at, vi) == "đến hết ngày 30/06/2026")
        #expect(Format.due(.object(["yearly_before": .array([.string("06-01"), .string("12-01")])]), dueAt: nil, vi)
                == "hằng năm trước ngày 01/06, 01/12")
        #expect(Format.due(.object(["working_days": .number(5)]), dueAt: at, vi) == "15/11/2026 00:00", "working days: the instant they give")
        #expect(Format.due(.object(["before": .string("not a date")]), dueAt: at, vi) == "15/11/2026 00:00")
        #expect(Format.due(nil, dueAt: nil, vi) == "Không có thời hạn")
    }
}

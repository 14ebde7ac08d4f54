@testable import BatonCore
import Testing

@Suite struct DraftScoreTests {
    static func doc(_ yaml: String) -> JSONValue { try! JSONValue.parse(yaml: yaml) }

    static let expected = doc("""
        tasks:
          - {key: patrol, title: Tuần tra các tuyến đường biên giới, lead: CA-BM}
          - {key: report, title: Báo cáo kết quả tuần tra về Ban Chỉ đạo, lead: CA-BM, due: {before: 2025-06-30}}
          - {key: schools, title: Tuyên truyền cho học sinh về hàng giả, lead: {each_under: GD-BM}, cooperating: [DTN-BM]}
        indicators:
          - {key: cases, name: Vụ việc được phân loại xử lý, unit: percent, direction: at_least, target: 100}
        """)

    @Test func pairsTasksByTheirWordsAndComparesLeadsAndDues() throws {
        let draft = Self.doc("""
            issuer: BCD-BM
            tasks:
              - {key: a, title: Thường xuyên tuần tra các tuyến đường biên giới, lead: CA-BM}
              - {key: b, title: Báo cáo kết quả tuần tra về Ban Chỉ đạo trước ngày 30/6/2025, lead: CA-BM, due: {on: 2025-06-30}}
              - {key: c, title: Tuyên truyền cho học sinh về tác hại của hàng giả, lead: GD-BM}
              - {key: d, title: Kiểm tra chợ đầu mối, lead: {each_of_kind: market}}
            indicators:
              - {key: x, name: Vụ việc được tiếp nhận đều được phân loại xử lý, unit: percent, direction: at_least, target: 100}
            """)
        let s = try DraftScore(draft: draft, expected: Self.expected, register: DraftFixtures.register)
        #expect(s.pairs.map(\.drafted) == ["a", "b", "c"])
        #expect((s.found, s.foundWithLead, s.dueRight, s.cooperatingRight) == (3, 2, 2, 2))
        #expect(s.falseAssignments == ["d"])
        #expect((s.indicatorsFound, s.indicatorsExpected) == (1, 1))
        #expect(s.outsideRegister == ["market"], "no agency of that kind exists")
        #expect(!s.meetsTargets)
        #expect(s.table.contains("found with the right lead      2/3 (67%)"))
    }

    @Test func aPerfectDraftMeetsTheTargets() throws {
        let s = try DraftScore(draft: Self.expected, expected: Self.expected, register: DraftFixtures.register)
        #expect(s.meetsTargets && s.falseAssignments.isEmpty && s.foundWithLead == 3)
        let empty = try DraftScore(draft: Self.doc("tasks: []"), expected: Self.expected, register: DraftFixtures.register)
        #expect(empty.found == 0 && !empty.meetsTargets)
    }
}

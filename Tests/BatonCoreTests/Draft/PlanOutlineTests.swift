@testable import BatonCore
import Testing

@Suite struct PlanOutlineTests {
    @Test func numbersAndBulletsMakeATree() {
        let outline = PlanOutline(text: "I. Nhiệm vụ\n\n1. Công an huyện\n\n- Tuần tra.\n\n+ Ban ngày.\n\na) Điểm a\n\nII. Tổ chức\n\nĐoạn văn.")
        #expect(outline.paragraphs.map(\.marker) == [.roman, .number, .dash, .plus, .letter, .roman, .none])
        #expect(outline.paragraphs.map(\.line) == [1, 3, 5, 7, 9, 11, 13])
        let tree = PlanOutline.tree(outline.paragraphs)
        #expect(tree.count == 2)
        #expect(tree[0].children.count == 1 && tree[0].children[0].text == "Công an huyện")
        #expect(tree[0].children[0].children.map(\.marker) == [.dash, .letter])
        #expect(tree[0].children[0].children[0].children.first?.text == "Ban ngày.")
        #expect(tree[1].children.first?.text == "Đoạn văn.")
    }

    @Test func joinsLinesWrappedAtTheMargin() {
        // As PDF text comes: lines broken at about 60 characters, blank lines between them.
        let text = """
            1. Công an huyện chủ trì, phối hợp với các cơ quan liên quan

            tổ chức tuần tra, kiểm soát trên các tuyến đường của huyện.

            2. Phòng Giáo dục và Đào tạo huyện

            - Tuyên truyền cho học sinh trong các trường học về phòng,

            chống ma túy và tệ nạn xã hội trong dịp hè năm học này.
            """
        let paragraphs = PlanOutline(text: text).paragraphs
        #expect(paragraphs.map(\.text) == [
            "Công an huyện chủ trì, phối hợp với các cơ quan liên quan tổ chức tuần tra, kiểm soát trên các tuyến đường của huyện.",
            "Phòng Giáo dục và Đào tạo huyện",
            "Tuyên truyền cho học sinh trong các trường học về phòng, chống ma túy và tệ nạn xã hội trong dịp hè năm học này.",
        ])
        #expect(paragraphs.map(\.line) == [1, 5, 7])
    }

    @Test func keepsLongParagraphsAsTheyAre() {
        // As Word text comes: one paragraph a line, however long.
        let long = String(repeating: "Tuyên truyền pháp luật cho học sinh ", count: 8)
        let paragraphs = PlanOutline(text: "1. Mục tiêu chung\n\n\(long)\n\n2. Mục tiêu cụ thể").paragraphs
        #expect(paragraphs.count == 3)
    }

    @Test(arguments: [
        ("Một câu. Câu hai! Câu ba?", ["Một câu.", "Câu hai!", "Câu ba?"]),
        ("Chiếm 42.9% số vụ. Tiếp theo", ["Chiếm 42.9% số vụ.", "Tiếp theo"]),
        ("Gửi qua email: a@b.edu.vn. Hết", ["Gửi qua email: a@b.edu.vn.", "Hết"]),
        ("tổ chức... cho các em. Xong", ["tổ chức... cho các em.", "Xong"]),
    ])
    func splitsSentences(_ text: String, _ expected: [String]) {
        #expect(PlanOutline.sentences(text) == expected)
    }
}

extension PlanOutlineTests {
    @Test func splitsAHeaderLaidOutInColumns() {
        // As `pdftotext -layout` gives a two-column header; a blank day keeps its line whole.
        let text = "UBND HUYỆN BÌNH MINH            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/KH-UBND           Bình Minh, ngày 05 tháng 3 năm 2025\nBình Minh, ngày       tháng       năm 2025"
        #expect(PlanOutline(text: text).paragraphs.map(\.text) == [
            "UBND HUYỆN BÌNH MINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 12/KH-UBND", "Bình Minh, ngày 05 tháng 3 năm 2025",
            "Bình Minh, ngày tháng năm 2025",
        ])
    }
}

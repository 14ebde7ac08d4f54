@testable import BatonCore
import Testing

@Suite struct VietnameseTextTests {
    @Test(arguments: [
        ("Tòa án", "toa an"), ("Toà án", "toa an"), ("TOÀ ÁN", "toa an"), ("Đoàn Thanh niên", "doan thanh nien"),
        ("Ủy ban", "uy ban"), ("Uỷ ban", "uy ban"), ("hằng năm", "hang nam"), ("hàng năm", "hang nam"),
    ])
    func foldsWithAndWithoutDiacritics(_ input: String, _ folded: String) {
        #expect(VietnameseText.tokens(input).joined(separator: " ") == folded)
    }

    @Test(arguments: [
        ("Phòng GD&ĐT", "phong giao duc va dao tao"),
        ("Sở GDĐT", "so giao duc va dao tao"),
        ("Phòng LĐ-TB&XH", "phong lao dong thuong binh va xa hoi"),
        ("UBND huyện", "uy ban nhan dan huyen"),
        ("VKSND, TAND", "vien kiem sat nhan dan , toa an nhan dan"),
        ("trường THPT", "truong trung hoc pho thong"),
        ("Huyện Đoàn", "doan thanh nien cong san ho chi minh huyen"),
        ("Đoàn TNCS Hồ Chí Minh", "doan thanh nien cong san ho chi minh"),
        ("UBMTTQVN huyện", "uy ban mat tran to quoc viet nam huyen"),
    ])
    func spellsOutAbbreviations(_ input: String, _ expanded: String) {
        #expect(VietnameseText.tokens(input).joined(separator: " ") == expanded)
    }

    @Test func normalisesDashesQuotesAndComposition() {
        let decomposed = "Toa\u{300} a\u{301}n \u{2013} \u{201C}an toàn\u{201D}\u{00A0}**01/6**"
        let n = VietnameseText.normalize(decomposed)
        #expect(n == "Toà án - \"an toàn\" 01/6")
        #expect(n.unicodeScalars.count == n.precomposedStringWithCanonicalMapping.unicodeScalars.count)
    }

    @Test(arguments: [
        ("Công an huyện chủ trì, phối hợp với các đơn vị thực hiện kế hoạch của Ban Chỉ đạo.", true),
        ("The police department will coordinate with the schools to carry out the plan.", false),
        ("La police coordonne avec les écoles la mise en œuvre du plan.", false),
        ("Cong an huyen chu tri", false),
        ("", false),
    ])
    func tellsVietnameseFromOtherLanguages(_ text: String, _ vietnamese: Bool) {
        #expect(VietnameseText.looksVietnamese(text) == vietnamese)
    }
}

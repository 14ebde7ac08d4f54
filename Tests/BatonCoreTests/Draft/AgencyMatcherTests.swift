@testable import BatonCore
import Testing

@Suite struct AgencyMatcherTests {
    static let matcher = AgencyMatcher(register: DraftFixtures.register, issuer: "BCD-BM")

    static func mention(_ text: String, issuer: String? = "BCD-BM") -> AgencyMatcher.Mention? {
        AgencyMatcher(register: DraftFixtures.register, issuer: issuer).match(VietnameseText.tokens(text), at: 0)?.mention
    }

    @Test(arguments: [
        ("Công an huyện", LeadForm.agency("CA-BM")),
        ("Cong an huyen", .agency("CA-BM")),
        ("ngành Công an", nil),
        ("Toà án nhân dân huyện", .agency("TA-BM")),
        ("TAND huyện", .agency("TA-BM")),
        ("Viện Kiểm sát nhân dân", .agency("VKS-BM")),
        ("Phòng GD&ĐT huyện", .agency("GD-BM")),
        ("Phòng LĐ-TB&XH", .agency("LD-BM")),
        ("Phòng Lao động – Thương binh và Xã hội huyện", .agency("LD-BM")),
        ("UBMTTQVN huyện", .agency("MT-BM")),
        ("Huyện Đoàn", .agency("DTN-BM")),
        ("Đoàn TNCS Hồ Chí Minh huyện", .agency("DTN-BM")),
        ("Huyện Đoàn Bình Minh", .agency("DTN-BM")),
        ("Ban Chỉ đạo 389 các xã, thị trấn", .eachUnder("BCD-BM")),
        ("Ban Chỉ đạo 389 huyện", .agency("BCD-BM")),
        ("các trường THCS", .eachUnder("GD-BM")),
        ("Hiệu trưởng các trường trung học cơ sở", .eachUnder("GD-BM")),
        ("các đơn vị trực thuộc Phòng GD&ĐT", .eachUnder("GD-BM")),
        ("Các đơn vị trực thuộc", .eachUnder("BCD-BM")),
    ] as [(String, LeadForm?)])
    func findsAgenciesAndGroups(_ text: String, _ lead: LeadForm?) {
        let found = Self.mention(text)
        if let lead { #expect(found == .lead(lead), "\(text)") } else { #expect(found == nil, "\(text)") }
    }

    @Test func genericSubjectsMeanTheAddressees() {
        for text in ["Các cơ quan, đơn vị", "các đơn vị, trường học", "Thủ trưởng các đơn vị", "Nhà trường", "các cơ sở giáo dục"] {
            #expect(Self.mention(text) == .addressees, "\(text)")
        }
    }

    @Test func namesNotInTheRegisterAreUnknownNotGuessed() {
        guard case .unknown(let name)? = Self.mention("Phòng Nội vụ huyện") else {
            Issue.record("an agency the register lacks must be flagged")
            return
        }
        #expect(name == "phong noi vu huyen")
        #expect(Self.mention("Phòng, chống buôn lậu") == nil, "phòng, chống is no agency")
        #expect(Self.mention("Phòng ngừa tội phạm") == nil)
    }

    @Test func collapsesGroupsToTheFanOutThatReachesExactlyThem() {
        let m = Self.matcher
        #expect(m.collapse(["CA-BM"]) == .agency("CA-BM"))
        #expect(m.collapse(["BCD-BM-DONG", "BCD-BM-TAY"]) == .eachUnder("BCD-BM"))
        #expect(m.collapse(["THCS-AN-BM", "THCS-PHU-BM"]) == .eachUnder("GD-BM"))
        #expect(m.collapse(["DTN-BM", "PN-BM"]) == .eachUnder("MT-BM"))
        #expect(m.collapse(["CA-BM", "THCS-AN-BM"]) == nil, "no fan-out reaches exactly these two")
        #expect(m.commonAncestor(["DTN-BM", "CA-BM", "BCD-BM-TAY"]) == "UBND-BM")
    }

    @Test func readsTheRegisterFromCSV() throws {
        let r = DraftFixtures.register
        #expect(r.entries.count == 14)
        #expect(r.entry("DTN-BM")?.aliases == ["Huyện Đoàn Bình Minh"])
        #expect(r.descendants(of: "MT-BM") == ["DTN-BM", "PN-BM"])
        #expect(r.reach(.eachOfKind("school"), issuer: "BCD-BM") == ["THCS-AN-BM", "THCS-PHU-BM"])
        #expect(throws: BatonError.self) { try AgencyRegister(csv: "id,title\n1,x\n") }
        #expect(throws: BatonError.self) { try AgencyRegister(csv: "code,name,kind,parent\nA,,police,\n") }
    }
}

extension AgencyMatcherTests {
    @Test func aGroupOfOneKindBelowOneAgencyIsEachOfKindUnderIt() throws {
        let register = try AgencyRegister(csv: """
            code,name,kind,parent
            UBND-T,Ủy ban nhân dân tỉnh Mẫu,people_committee,
            SO-T,Sở Tư pháp tỉnh Mẫu,justice_department,UBND-T
            UBND-BM,Ủy ban nhân dân huyện Bình Minh,people_committee,UBND-T
            CA-BM,Công an huyện Bình Minh,police,UBND-BM
            UBND-BM-A,Ủy ban nhân dân xã An Bình,people_committee,UBND-BM
            UBND-BM-B,Ủy ban nhân dân thị trấn Bình Minh,people_committee,UBND-BM
            UBND-HG,Ủy ban nhân dân huyện Hòa Giang,people_committee,UBND-T
            UBND-HG-C,Ủy ban nhân dân xã Cầu Kè,people_committee,UBND-HG
            """)
        let m = AgencyMatcher(register: register, issuer: "SO-T")
        #expect(m.collapse(["UBND-BM-A", "UBND-BM-B"]) == .eachOfKind("people_committee", under: "UBND-BM"))
        #expect(m.collapse(["UBND-BM", "UBND-HG"]) == nil, "the communes are of that kind too")
        #expect(register.reach(.eachOfKind("people_committee"), issuer: "SO-T") == ["UBND-BM", "UBND-BM-A", "UBND-BM-B", "UBND-HG", "UBND-HG-C"])
        // Every commune of the province: the districts' committees are of the same kind, so no fan-out
        // reaches exactly the communes; the reviewer decides.
        #expect(m.match(VietnameseText.tokens("UBND các xã, thị trấn"), at: 0)?.mention == .unknown("uy ban nhan dan cac xa , thi tran"))
    }
}

@testable import BatonCore
import Testing

@Suite struct PlanDrafterTests {
    static let draft = try! PlanDrafter(register: DraftFixtures.register).draft(DraftFixtures.plan)

    static func task(_ lead: LeadForm, containing words: String) -> PlanDraft.Task? {
        draft.tasks.first { $0.lead == lead && $0.description.contains(words) }
    }

    @Test func readsTheHeader() {
        let d = Self.draft
        #expect(d.number == "12/KH-BCĐ389")
        #expect(d.issuedOn == LocalDate("2025-03-05"))
        #expect(d.title == "Phòng, chống buôn lậu trên địa bàn huyện năm 2025")
        #expect(d.issuer == "BCD-BM", "the agency before 'xây dựng Kế hoạch'")
        #expect(d.monitor == "CA-BM", "Công an huyện - Cơ quan Thường trực … theo dõi, đôn đốc")
        #expect(d.basis?.hasPrefix("Căn cứ Kế hoạch số 7/KH-UBND") == true)
    }

    @Test func assignsDutiesByHeadingAndBySubject() throws {
        let investigate = try #require(Self.task(.agency("CA-BM"), containing: "điều tra các vụ buôn lậu"))
        #expect(investigate.cooperating == ["VKS-BM"], "chủ trì, phối hợp với Viện Kiểm sát")
        #expect(investigate.due == .before(LocalDate("2025-06-30")!))
        let patrol = try #require(Self.task(.agency("CA-BM"), containing: "tuần tra"))
        #expect(patrol.due == nil, "thường xuyên: ongoing")
        // A paragraph under a heading: one duty per sentence; the month is read as its last day.
        let propaganda = try #require(Self.task(.agency("GD-BM"), containing: "Tuyên truyền cho học sinh"))
        #expect(!propaganda.description.contains("hội thi"))
        #expect(Self.task(.agency("GD-BM"), containing: "hội thi")?.due == .on(LocalDate("2025-04-30")!))
        // "các xã, thị trấn" is every steering committee below the district's; the year is the plan's.
        #expect(Self.task(.eachUnder("BCD-BM"), containing: "kế hoạch của địa phương")?.due == .on(LocalDate("2025-03-20")!))
        // "Giao X chủ trì, phối hợp với Y": lead and cooperating, the alias of the youth union.
        let labour = try #require(Self.task(.agency("LD-BM"), containing: "hỗ trợ người lao động"))
        #expect(labour.cooperating == ["DTN-BM"])
        #expect(labour.due == .workingDays(5))
        // "Các cơ quan, đơn vị": everyone the plan assigns, as one fan-out below their common ancestor.
        #expect(Self.task(.eachUnder("UBND-BM"), containing: "định kỳ 6 tháng") != nil)
        #expect(!Self.draft.tasks.contains { $0.description.contains("theo dõi, đôn đốc") }, "monitoring is the monitor, not a task")
    }

    @Test func neverInventsAnAgencyOrADate() {
        let d = Self.draft
        #expect(!d.tasks.contains { $0.description.contains("biên chế") }, "Phòng Nội vụ is not in the register")
        #expect(d.review.contains { $0.kind == .agency && $0.line == 36 && $0.text.contains("Phòng Nội vụ") })
        #expect(d.review.contains { $0.kind == .deadline && $0.line == 46 }, "định kỳ 6 tháng, năm names no days")
        #expect(d.review.contains { $0.kind == .indicator && $0.line == 18 }, "a reduction needs its baseline")
        let codes = Set(DraftFixtures.register.entries.map(\.code))
        for t in d.tasks {
            switch t.lead {
            case .agency(let c), .eachUnder(let c): #expect(codes.contains(c))
            case .eachOfKind: break
            }
            #expect(t.cooperating.allSatisfy(codes.contains))
        }
    }

    @Test func readsTargets() {
        let t = Self.draft.indicators
        #expect(t.count == 2)
        #expect(t.first.map { ($0.target, $0.direction, $0.unit) } ?? (0, .atMost, .count) == (100, .atLeast, .percent))
        #expect(t.last.map { ($0.target, $0.direction, $0.unit) } ?? (0, .atMost, .percent) == (15, .reduceBy, .count))
    }

    @Test func theYAMLIsThePlanDocument() throws {
        let d = Self.draft
        let parsed = try JSONValue.parse(yaml: d.yaml)
        #expect(parsed == d.document)
        // Once the reviewer adds the reduction's baseline, the document imports as it stands.
        guard case .object(var o) = parsed, case .array(var indicators)? = o["indicators"], case .object(var last)? = indicators.last else {
            Issue.record("the draft must be an object with indicators")
            return
        }
        last["baseline"] = .number(20)
        indicators[indicators.count - 1] = .object(last)
        o["indicators"] = .array(indicators)
        let document = try PlanDocument(json: .object(o))
        #expect(document.tasks.count == d.tasks.count)
        #expect(document.issuer == "BCD-BM")
    }

    @Test func aLetterAssignsItsItemsToItsAddressees() throws {
        let letter = """
            Bình Minh, ngày 02 tháng 4 năm 2025

            Kính gửi:

            - Hiệu trưởng các trường THCS;

            - Giám đốc Trung tâm Hướng nghiệp huyện.

            Phòng Giáo dục và Đào tạo đề nghị các nhà trường thực hiện những nội dung sau:

            1. Tổ chức tuyên truyền về an toàn giao thông cho học sinh.

            2. Báo cáo kết quả về Phòng trước ngày 15/5/2025.
            """
        let d = try PlanDrafter(register: DraftFixtures.register).draft(letter)
        #expect(d.issuer == "GD-BM")
        #expect(d.tasks.map(\.lead) == [.eachUnder("GD-BM"), .eachUnder("GD-BM")])
        #expect(d.tasks.last?.due == .before(LocalDate("2025-05-15")!))
        #expect(d.review.contains { $0.kind == .agency && $0.line == 7 }, "the centre is not in the register")
        #expect(d.review.contains { $0.kind == .header && $0.message.contains("number") })
    }

    @Test func refusesWhatIsNoVietnamesePlan() {
        let drafter = PlanDrafter(register: DraftFixtures.register)
        #expect(throws: BatonError.invalid(nil, "the document has no text")) { try drafter.draft(" \n\n ") }
        #expect(throws: BatonError.self) { try drafter.draft("The police will patrol the district roads every week and report to the committee.") }
        #expect(throws: BatonError.self) { try PlanDrafter(register: DraftFixtures.register, issuer: "NOPE").draft(DraftFixtures.plan) }
    }
}

extension PlanDrafterTests {
    @Test func aShortLineEndingInAColonHeadsTheBulletsBelowIt() throws {
        let text = """
            Ban Chỉ đạo 389 huyện xây dựng Kế hoạch như sau:

            I. PHÂN CÔNG NHIỆM VỤ

            Công an huyện:

            - Tuần tra các tuyến đường trước ngày 30/4/2025.

            Viện Kiểm sát nhân dân huyện:

            - Kiểm sát việc giải quyết tin báo tội phạm.
            """
        let d = try PlanDrafter(register: DraftFixtures.register).draft(text)
        #expect(d.tasks.map(\.lead) == [.agency("CA-BM"), .agency("VKS-BM")])
        #expect(d.tasks.first?.due == .before(LocalDate("2025-04-30")!))
    }
}

extension PlanDrafterTests {
    /// Phrasings the other tests do not use: a duty on its heading's line, "Đề nghị X và các tổ chức …",
    /// "UBND các xã, thị trấn", a standing office with a dated report, a day without its year.
    @Test func readsPhrasingsOfAnotherPlan() throws {
        let register = try AgencyRegister(csv: """
            code,name,kind,parent,aliases
            UBND-BM,Ủy ban nhân dân huyện Bình Minh,people_committee,,
            BCD-BM,Ban Chỉ đạo 389 huyện Bình Minh,steering_committee,UBND-BM,
            CA-BM,Công an huyện Bình Minh,police,UBND-BM,
            VKS-BM,Viện Kiểm sát nhân dân huyện Bình Minh,procuracy,UBND-BM,
            TA-BM,Tòa án nhân dân huyện Bình Minh,court,UBND-BM,
            GD-BM,Phòng Giáo dục và Đào tạo huyện Bình Minh,education,UBND-BM,
            YT-BM,Phòng Y tế huyện Bình Minh,health,UBND-BM,
            MT-BM,Ủy ban Mặt trận Tổ quốc Việt Nam huyện Bình Minh,front,UBND-BM,
            DTN-BM,Đoàn Thanh niên Cộng sản Hồ Chí Minh huyện Bình Minh,youth_union,MT-BM,
            UBND-BM-A,Ủy ban nhân dân xã An Bình,people_committee,UBND-BM,
            UBND-BM-B,Ủy ban nhân dân thị trấn Bình Minh,people_committee,UBND-BM,
            """)
        let text = """
            ỦY BAN NHÂN DÂN HUYỆN BÌNH MINH

            Số: 88/KH-UBND

            Bình Minh, ngày 12 tháng 6 năm 2025

            KẾ HOẠCH

            Triển khai Tháng hành động phòng, chống ma túy năm 2025

            Căn cứ Kế hoạch số 101/KH-UBND ngày 02/6/2025 của Ủy ban nhân dân tỉnh, Ủy ban nhân dân huyện ban hành Kế hoạch thực hiện như sau:

            I. MỤC ĐÍCH, YÊU CẦU

            - Nâng cao nhận thức của người dân về tác hại của ma túy.

            II. NHIỆM VỤ VÀ GIẢI PHÁP

            1. Công an huyện: Chủ trì, phối hợp với Phòng Y tế huyện rà soát người sử dụng trái phép chất ma túy, hoàn thành trước ngày 30/7/2025.

            2. Phòng Giáo dục và Đào tạo huyện chỉ đạo các trường tổ chức tuyên truyền cho học sinh trong tháng 6/2025.

            3. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam huyện và các tổ chức chính trị - xã hội phối hợp tuyên truyền trong các khu dân cư.

            4. UBND các xã, thị trấn tổ chức ra quân truy quét các điểm nóng; báo cáo kết quả về Công an huyện chậm nhất ngày 05/8.

            5. Phòng Văn hóa và Thông tin huyện tăng cường thông tin trên hệ thống truyền thanh cơ sở.

            III. TỔ CHỨC THỰC HIỆN

            Giao Công an huyện là cơ quan thường trực, theo dõi, đôn đốc, tổng hợp kết quả báo cáo UBND huyện trước ngày 15/8/2025.
            """
        let d = try PlanDrafter(register: register).draft(text)
        #expect(d.issuer == "UBND-BM" && d.monitor == "CA-BM" && d.number == "88/KH-UBND")
        #expect(d.tasks.map(\.lead) == [.agency("CA-BM"), .agency("GD-BM"), .agency("MT-BM"), .eachOfKind("people_committee"), .agency("CA-BM")])
        #expect(d.tasks.map(\.due) == [.before(LocalDate("2025-07-30")!), .on(LocalDate("2025-06-30")!), nil, .on(LocalDate("2025-08-05")!),
                                        .before(LocalDate("2025-08-15")!)])
        #expect(d.tasks[0].cooperating == ["YT-BM"])
        #expect(d.review.map(\.text) == ["phong van hoa va thong tin huyen"], "the culture office is not in this register")
    }
}

extension PlanDrafterTests {
    @Test func theYAMLQuotesWhateverTheTextHolds() throws {
        var d = PlanDraft()
        d.title = "Mô hình \"An toàn\" \\ trường học: on, yes, 2024-01-01"
        d.tasks = [PlanDraft.Task(key: "a", title: "x\u{7}y", description: "dòng 1\ndòng 2 # không phải chú thích", lead: .eachOfKind("school", under: "GD-BM"),
                                  cooperating: ["CA-BM"], due: .on(LocalDate("2025-06-30")!), line: 3)]
        #expect(try JSONValue.parse(yaml: d.yaml) == d.document)
        #expect(d.yaml.contains("\"on\": \"2025-06-30\""), "the key on is quoted for YAML 1.1 readers")
        // A key or a code that YAML would read as a number is quoted: a number is not text.
        d.tasks[0].key = "2024"
        d.tasks[0].cooperating = ["115"]
        #expect(try JSONValue.parse(yaml: d.yaml) == d.document)
    }
}

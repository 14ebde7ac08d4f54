import BatonCore
import Foundation
import Testing

/// `POST /v1/plans/draft`: a plan's file in, a draft out; bad files are problems.
@Suite struct DraftRoutesTests {
    static let plan = """
        Số: 31/KH-BCĐ138

        Châu Thành A, ngày 04 tháng 11 năm 2025

        KẾ HOẠCH

        Bảo đảm an toàn trường học

        Ban Chỉ đạo 138 huyện xây dựng Kế hoạch như sau:

        I. PHÂN CÔNG NHIỆM VỤ

        1. Công an huyện

        - Chủ trì, phối hợp với Viện Kiểm sát nhân dân huyện kiểm tra an ninh quanh trường học trước ngày 15/12/2025.

        2. Các trường THCS

        - Tuyên truyền pháp luật cho học sinh trong tháng 12/2025.

        3. Phòng Nội vụ huyện

        - Rà soát biên chế.
        """

    @Test func draftsATextFile() async throws {
        try await HTTPHarness.run { h in
            let r = try await h.send(.post, "/v1/plans/draft", as: "chair", raw: Data(Self.plan.utf8), contentType: "text/plain; charset=utf-8")
            #expect(r.status == .ok, "\(r.text)")
            let document = r["document"]
            #expect(document?["issuer"]?.stringValue == "BCD")
            #expect(document?["number"]?.stringValue == "31/KH-BCĐ138")
            let tasks = document?["tasks"]?.arrayValue ?? []
            #expect(tasks.contains { $0["lead"] == .string("CA") && $0["cooperating"] == .array([.string("VKS")]) && $0["due"]?["before"] == .string("2025-12-15") })
            #expect(tasks.contains { $0["lead"]?["each_under"] == .string("GDDT") && $0["due"]?["on"] == .string("2025-12-31") })
            #expect(tasks.count == 2, "nothing for Phòng Nội vụ, which the register lacks")
            let review = r["review"]?.arrayValue ?? []
            #expect(review.contains { $0["kind"] == .string("agency") && $0["line"]?.intValue == 21 && $0["message"]?.stringValue?.isEmpty == false })
            #expect(r["yaml"]?.stringValue.map { (try? JSONValue.parse(yaml: $0)) == document } == true, "the YAML is the same document")
            // The format can come from a file name instead of the media type.
            let named = try await h.send(.post, "/v1/plans/draft?filename=KEHOACH.md", as: "root", raw: Data(Self.plan.utf8),
                                         contentType: "application/octet-stream")
            #expect(named.status == .ok && named["document"]?["tasks"]?.arrayValue?.count == 2, "\(named.text)")
        }
    }

    @Test func refusesBadFiles() async throws {
        try await HTTPHarness.run { h in
            let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            let scanned = Data("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)
            let cases: [(Data, String, String)] = [
                (Data(), "text/plain", "empty"),
                (Data("PK but not really a zip".utf8), docx, "Word document"),
                (Data("no zip here".utf8), docx, "not a Word document"),
                (scanned, "application/pdf", "no text layer"),
                (Data("The police will patrol the district roads every week and report to the committee.".utf8), "text/plain", "not in Vietnamese"),
                (Data([0xFF, 0xFE, 0x00]), "text/plain", "UTF-8"),
            ]
            for (body, type, words) in cases {
                let r = try await h.send(.post, "/v1/plans/draft", as: "chair", raw: body, contentType: type)
                #expect(r.isProblem(.unprocessableContent, "validation_failed") && r["detail"]?.stringValue?.contains(words) == true, "\(type): \(r.text)")
            }
            let big = try await h.send(.post, "/v1/plans/draft", as: "chair", raw: Data(count: 2 << 20), contentType: "application/pdf")
            #expect(big.isProblem(.contentTooLarge, "payload_too_large"), "\(big.text)")
            #expect(try await h.send(.post, "/v1/plans/draft", as: "chair", raw: Data(Self.plan.utf8), contentType: "image/png")
                        .isProblem(.unsupportedMediaType, "unsupported_media_type"))
            #expect(try await h.send(.post, "/v1/plans/draft?filename=plan.odt", as: "chair", raw: Data(Self.plan.utf8), contentType: "text/plain")
                        .isProblem(.unsupportedMediaType, "unsupported_media_type"))
            #expect(try await h.send(.post, "/v1/plans/draft", as: "chair", raw: Data(Self.plan.utf8), contentType: nil).isProblem(.unsupportedMediaType, "unsupported_media_type"))
            #expect(try await h.send(.post, "/v1/plans/draft?issuer=NOPE", as: "chair", raw: Data(Self.plan.utf8), contentType: "text/plain")
                        .isProblem(.unprocessableContent, "validation_failed"))
            #expect(try await h.send(.post, "/v1/plans/draft", as: "ca", raw: Data(Self.plan.utf8), contentType: "text/plain")
                        .isProblem(.forbidden, "forbidden"), "an officer does not draft plans")
            #expect(try await h.send(.post, "/v1/plans/draft", as: nil, raw: Data(Self.plan.utf8), contentType: "text/plain").status == .unauthorized)
        }
    }
}

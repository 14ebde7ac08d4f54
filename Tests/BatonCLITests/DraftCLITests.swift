import BatonTestSupport
import EmbeddedPostgres
import Foundation
import Testing
import ZIPFoundation

/// `baton plan draft` and `baton plan score`, run as a user would.
@Suite struct DraftCLITests {
    static let agencies = """
        code,name,kind,parent,aliases
        UBND-BM,Ủy ban nhân dân huyện Bình Minh,people_committee,,
        BCD-BM,Ban Chỉ đạo 389 huyện Bình Minh,steering_committee,UBND-BM,
        CA-BM,Công an huyện Bình Minh,police,UBND-BM,
        VKS-BM,Viện Kiểm sát nhân dân huyện Bình Minh,procuracy,UBND-BM,
        GD-BM,Phòng Giáo dục và Đào tạo huyện Bình Minh,education,UBND-BM,Phòng Giáo dục Bình Minh
        THCS-AN-BM,Trường Trung học cơ sở An Hòa,school,GD-BM,
        THCS-PHU-BM,Trường Trung học cơ sở Phú Lộc,school,GD-BM,

        """

    static let paragraphs = [
        "Số: 12/KH-BCĐ389", "Bình Minh, ngày 05 tháng 3 năm 2025", "KẾ HOẠCH", "Phòng, chống buôn lậu trên địa bàn huyện",
        "Ban Chỉ đạo 389 huyện xây dựng Kế hoạch như sau:", "I. PHÂN CÔNG NHIỆM VỤ", "1. Công an huyện",
        "- Chủ trì, phối hợp với Viện Kiểm sát nhân dân huyện điều tra các vụ buôn lậu trước ngày 30/6/2025.",
        "2. Các trường THCS", "- Tuyên truyền cho học sinh về tác hại của hàng giả.", "3. Phòng Nội vụ huyện",
        "- Rà soát biên chế.", "II. TỔ CHỨC THỰC HIỆN", "Các cơ quan, đơn vị báo cáo kết quả định kỳ 6 tháng, năm.",
    ]
    static let plan = paragraphs.joined(separator: "\n\n") + "\n"

    /// A scratch directory with the plan and the register.
    static func files() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("draft-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(plan.utf8).write(to: dir.appendingPathComponent("plan.txt"))
        try Data(agencies.utf8).write(to: dir.appendingPathComponent("agencies.csv"))
        return dir
    }

    /// A minimal Word document of these paragraphs; their "I.", "1." and "- " are left to Word's
    /// list numbering (`word/numbering.xml`), as a real document does.
    static func docx(_ paragraphs: [String]) throws -> Data {
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        func numbered(_ num: Int, _ level: Int, _ text: String) -> String {
            "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"\(level)\"/><w:numId w:val=\"\(num)\"/></w:numPr></w:pPr><w:r><w:t>\(escape(text))</w:t></w:r></w:p>"
        }
        let body = paragraphs.map { p -> String in
            if let m = p.firstMatch(of: /^[IVX]+\. (.*)$/) { return numbered(1, 0, String(m.output.1)) }
            if let m = p.firstMatch(of: /^\d+\. (.*)$/) { return numbered(1, 1, String(m.output.1)) }
            if p.hasPrefix("- ") { return numbered(2, 0, String(p.dropFirst(2))) }
            return "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">\(escape(p))</w:t></w:r><w:r><w:tab/></w:r></w:p>"
        }.joined()
        let ns = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
        let document = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document \(ns)><w:body>\(body)</w:body></w:document>
            """
        let numbering = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:numbering \(ns)>\
            <w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>\
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl></w:abstractNum>\
            <w:abstractNum w:abstractNumId="8"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/></w:lvl></w:abstractNum>\
            <w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="8"/></w:num></w:numbering>
            """
        let types = """
            <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
            """
        let archive = try Archive(accessMode: .create)
        for (path, text) in [("[Content_Types].xml", types), ("word/document.xml", document), ("word/numbering.xml", numbering)] {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data!
    }

    /// A one-page PDF showing `text` (ASCII) in Helvetica, or no text at all.
    static func pdf(_ text: String?) -> Data {
        let content = text.map { "BT /F1 12 Tf 72 720 Td (\($0)) Tj ET" } ?? ""
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (i, o) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(i + 1) 0 obj\n\(o)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for o in offsets { out += String(repeating: "0", count: 10 - String(o).count) + "\(o) 00000 n \n" }
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(out.utf8)
    }

    @Test func draftsATextFileAgainstACSVRegister() throws {
        let dir = try Self.files()
        let r = try CLI.exec(["plan", "draft", dir.appendingPathComponent("plan.txt").path, "--agencies", dir.appendingPathComponent("agencies.csv").path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("number: \"12/KH-BCĐ389\"") && r.stdout.contains("issuer: \"BCD-BM\""))
        #expect(r.stdout.contains("lead: CA-BM") && r.stdout.contains("cooperating: [VKS-BM]") && r.stdout.contains("due: {\"before\": \"2025-06-30\"}"))
        #expect(r.stdout.contains("lead: {\"each_under\": GD-BM}"), "các trường THCS: every school below the office")
        #expect(!r.stdout.contains("biên chế"), "no agency is invented for Phòng Nội vụ")
        #expect(r.stderr.contains("line 21: agency:") && r.stderr.contains("Phòng Nội vụ"), "\(r.stderr)")
        #expect(r.stderr.contains("line 27: deadline:"), "định kỳ without days")
    }

    @Test func draftsAWordDocument() throws {
        let dir = try Self.files()
        let file = dir.appendingPathComponent("KEHOACH.docx")
        try Self.docx(Self.paragraphs).write(to: file)
        let r = try CLI.exec(["plan", "draft", file.path, "--agencies", dir.appendingPathComponent("agencies.csv").path, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let answer = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let document = answer?["document"] as? [String: Any]
        let tasks = document?["tasks"] as? [[String: Any]] ?? []
        #expect(document?["issuer"] as? String == "BCD-BM")
        #expect(tasks.contains { $0["lead"] as? String == "CA-BM" && $0["cooperating"] as? [String] == ["VKS-BM"] })
        #expect(tasks.contains { ($0["lead"] as? [String: String])?["each_under"] == "GD-BM" }, "the numbered heading '2. Các trường THCS'")
        #expect((answer?["review"] as? [[String: Any]])?.contains { $0["kind"] as? String == "agency" } == true)
        #expect((answer?["yaml"] as? String)?.contains("tasks:") == true)
    }

    @Test func draftsAgainstTheDatabaseWithAliases() async throws {
        let cli = try await CLI.fresh()
        let dir = try Self.files()
        var r = try cli.run("agency", "import", dir.appendingPathComponent("agencies.csv").path)
        #expect(r.status == 0, "\(r.stderr)")
        r = try cli.run("agency", "alias", "CA-BM", "--add", "Lực lượng Công an Bình Minh")
        #expect(r.status == 0 && r.stdout.contains("Lực lượng Công an Bình Minh"), "\(r.stderr)")
        r = try cli.run("agency", "alias", "GD-BM")
        #expect(r.stdout.contains("Phòng Giáo dục Bình Minh"), "the alias from the CSV")
        #expect(try cli.run("agency", "alias", "NOPE", "--add", "X Y").status == 1)
        let text = Self.plan + "\nLực lượng Công an Bình Minh tuần tra ban đêm.\n"
        try Data(text.utf8).write(to: dir.appendingPathComponent("plan.md"))
        r = try cli.run("plan", "draft", dir.appendingPathComponent("plan.md").path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("tuần tra ban đêm") && r.stdout.contains("lead: CA-BM"))
        // This plan's header is complete, so its draft imports as it stands.
        try Data(r.stdout.utf8).write(to: dir.appendingPathComponent("draft.yaml"))
        let imported = try cli.run("plan", "import", dir.appendingPathComponent("draft.yaml").path)
        #expect(imported.status == 0 && imported.stdout.contains("Imported plan 12/KH-BCĐ389"), "\(imported.stderr)")
    }

    @Test func badFilesAreOneLineErrorsAndNothingIsWritten() throws {
        let dir = try Self.files()
        let csv = dir.appendingPathComponent("agencies.csv").path
        func draft(_ name: String, _ data: Data) throws -> Subprocess.Result {
            let file = dir.appendingPathComponent(name)
            try data.write(to: file)
            return try CLI.exec(["plan", "draft", file.path, "--agencies", csv])
        }
        let cases: [(String, Data, String)] = [
            ("empty.txt", Data(), "empty"),
            ("letter.docx", Data("not a zip at all".utf8), "not a Word document"),
            ("scan.pdf", Self.pdf(nil), "no text layer"),
            ("english.txt", Data("The police will patrol the district roads every week and report to the committee.".utf8), "not in Vietnamese"),
            ("english.pdf", Self.pdf("The police will patrol the district roads every week and report."), "not in Vietnamese"),
            ("plan.odt", Data("x".utf8), ".docx, .pdf, .txt and .md"),
        ]
        for (name, data, message) in cases {
            let r = try draft(name, data)
            #expect(r.status == 1 && r.stdout.isEmpty, "\(name): \(r.stdout)")
            #expect(r.stderr.hasPrefix("baton: ") && r.stderr.contains(message) && r.stderr.split(separator: "\n").count == 1, "\(name): \(r.stderr)")
        }
        // 50 MB: refused by its size before it is read.
        let big = dir.appendingPathComponent("big.pdf")
        FileManager.default.createFile(atPath: big.path, contents: nil)
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: 50 << 20)
        try handle.close()
        let r = try CLI.exec(["plan", "draft", big.path, "--agencies", csv])
        #expect(r.status == 1 && r.stdout.isEmpty && r.stderr.contains("larger than"), "\(r.stderr)")
        #expect(try CLI.exec(["plan", "draft", dir.appendingPathComponent("missing.txt").path, "--agencies", csv]).status == 1)
        #expect(try CLI.exec(["plan", "draft", dir.appendingPathComponent("plan.txt").path, "--agencies", csv, "--issuer", "NOPE"]).status == 1)
    }

    @Test func scoresTheExamplesAgainstTheirSeeds() throws {
        let none = try CLI.exec(["plan", "score", "--seeds", "/nonexistent"])
        #expect(none.status == 0 && none.stdout.contains("nothing to score"))
        let seeds = TestCluster.repositoryRoot + "/../shared/seeds"
        guard FileManager.default.fileExists(atPath: seeds) else { return }
        let r = try CLI.exec(["plan", "score", "--seeds", seeds])
        #expect(r.status == 0, "the issue's targets hold on every example: \(r.stdout)\(r.stderr)")
        #expect(r.stdout.components(separatedBy: "targets                        met").count == 5)
    }
}

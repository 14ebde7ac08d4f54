import Foundation
import Testing
@testable import BatonCore

@Suite("CSV")
struct CSVTests {
    @Test("parses RFC 4180 text", arguments: [
        ("code,name,kind,parent\r\nCA-CTA,Công an huyện,police,UBND-CTA\r\n",
         [["code", "name", "kind", "parent"], ["CA-CTA", "Công an huyện", "police", "UBND-CTA"]]),
        ("a,b\nc,d", [["a", "b"], ["c", "d"]]),
        ("\u{FEFF}a,b\n", [["a", "b"]]),
        ("a,,\n", [["a", "", ""]]),
        ("\"a,b\",\"say \"\"hi\"\"\"\n", [["a,b", "say \"hi\""]]),
        ("\"line1\r\nline2\",x\r\n", [["line1\r\nline2", "x"]]),
        ("a\n\n\nb\n", [["a"], ["b"]]),
        ("", []),
        ("\"\",x\n", [["", "x"]]),
        ("Sở Giáo dục và Đào tạo,school\n", [["Sở Giáo dục và Đào tạo", "school"]]),
    ])
    func parses(text: String, expected: [[String]]) throws {
        #expect(try CSV.parse(text) == expected)
    }

    @Test("refuses broken quoting as malformed", arguments: ["a\"b,c\n", "\"a\"b,c\n", "\"open,c\n", "x,\"a\" ,c\n"])
    func malformed(text: String) {
        let e = batonError { try CSV.parse(text) }
        #expect(e?.code == .malformed)
        #expect(e?.detail.contains("line") == true)
    }

    @Test("the error names the line")
    func errorLine() {
        #expect(batonError { try CSV.parse("a,b\r\nc,d\r\ne\"f,g\r\n") }?.detail.contains("line 3") == true)
    }

    @Test("writes lines, quoting what needs it", arguments: [
        (["a", "b"], "a,b\r\n"),
        (["a,b", "c"], "\"a,b\",c\r\n"),
        (["say \"hi\""], "\"say \"\"hi\"\"\"\r\n"),
        (["line1\nline2"], "\"line1\nline2\"\r\n"),
        (["line1\r\nline2"], "\"line1\r\nline2\"\r\n"),
        (["cr\ronly"], "\"cr\ronly\"\r\n"),
        (["", "Công an"], ",Công an\r\n"),
        ([], "\r\n"),
    ])
    func writes(fields: [String], expected: String) {
        #expect(CSV.line(fields) == expected)
    }

    @Test("what is written reads back", arguments: [
        ["plain", "with,comma", "with \"quotes\"", "multi\r\nline", "multi\nline", "Tiếng Việt", "0.5", ""],
        ["\"", ",", "\r\n", "x"],
    ])
    func roundTrip(fields: [String]) throws {
        #expect(try CSV.parse(CSV.line(fields)) == [fields])
    }

    @Test("a document starts with a byte-order mark and ends every line with CRLF")
    func document() throws {
        let doc = CSV.document(header: ["agency", "open"], rows: [["CA-CTA", "3"], ["GDDT-CTA", "0"]])
        #expect(doc == "\u{FEFF}agency,open\r\nCA-CTA,3\r\nGDDT-CTA,0\r\n")
        #expect(Array(doc.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(try CSV.parse(doc) == [["agency", "open"], ["CA-CTA", "3"], ["GDDT-CTA", "0"]])
    }
}

@Suite("Visibility")
struct VisibilityTests {
    // Agencies by id: 1 = province, 2 = district under it, 3 = commune under the district, 9 = elsewhere.
    static let leadPath: [Int64] = [1, 2, 3]
    static let coopPaths: [[Int64]] = [[1, 2, 5]]

    typealias Role = Actor.UserRole
    static let cases: [(Int64?, Set<Role>, Bool)] = [
        (nil, [.admin], true),
        (9, [.admin], true),
        (3, [.officer], true),          // the lead agency
        (2, [.officer], true),          // above the lead in the tree
        (1, [.viewer], true),
        (5, [.officer], true),          // cooperating
        (9, [.officer], false),
        (4, [.viewer], false),          // a sibling
        (7, [.committee], true),        // issuer
        (8, [.committee], false),       // the monitor's committee does not see
        (8, [.coordinator], true),      // the monitor's coordinator does
        (7, [.coordinator], true),      // the issuer's coordinator
        (3, [.committee], false),       // the lead's committee, without the officer role
        (9, [.coordinator, .committee], false),
        (nil, [.officer, .viewer, .committee, .coordinator], false),
    ]

    @Test("who sees a task", arguments: cases)
    func canSee(agency: Int64?, roles: Set<Actor.UserRole>, visible: Bool) {
        let viewer = Viewer(agencyID: agency, roles: roles)
        #expect(viewer.canSee(leadPath: Self.leadPath, cooperatorPaths: Self.coopPaths, overseers: [7], monitors: [8]) == visible)
    }

    @Test("a committee above a cascade sees the plans made under it")
    func cascade() {
        #expect(Viewer(agencyID: 5, roles: [.committee]).canSee(leadPath: [1, 9], cooperatorPaths: [], overseers: [5, 7], monitors: [8]))
        #expect(Viewer(agencyID: 6, roles: [.coordinator]).canSee(leadPath: [1, 9], cooperatorPaths: [], overseers: [7], monitors: [6, 8]))
        #expect(!Viewer(agencyID: 6, roles: [.committee]).canSee(leadPath: [1, 9], cooperatorPaths: [], overseers: [7], monitors: [6, 8]))
    }

    @Test("a parent without a lead is seen through the plan only")
    func parentWithoutLead() {
        #expect(!Viewer(agencyID: 3, roles: [.officer]).canSee(leadPath: nil, cooperatorPaths: [], overseers: [7], monitors: []))
        #expect(Viewer(agencyID: 7, roles: [.committee]).canSee(leadPath: nil, cooperatorPaths: [], overseers: [7], monitors: []))
        #expect(!Viewer(agencyID: 8, roles: [.coordinator]).canSee(leadPath: nil, cooperatorPaths: [], overseers: [7], monitors: []))
    }
}

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

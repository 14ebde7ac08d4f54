import BatonCore
import Testing

@Suite("JSONWriter")
struct JSONWriterTests {
    static func written(_ s: String) -> String {
        var w = JSONWriter()
        w.string(s)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    @Test("strings are written escaped exactly where JSON needs it", arguments: [
        ("Phòng GDĐT huyện Châu Thành A", "\"Phòng GDĐT huyện Châu Thành A\""),
        ("", "\"\""),
        ("say \"xong\"", "\"say \\\"xong\\\"\""),
        ("a\\b", "\"a\\\\b\""),
        ("dòng 1\ndòng 2\r\t", "\"dòng 1\\ndòng 2\\r\\t\""),
        ("\u{01}\u{1F}", "\"\\u0001\\u001f\""),
        ("/ 📋 </script>", "\"/ 📋 </script>\""),
    ])
    func escapes(text: String, json: String) throws {
        #expect(Self.written(text) == json)
        #expect(try JSONParser.parse(Self.written(text)) == .string(text), "reads back as written")
    }
}

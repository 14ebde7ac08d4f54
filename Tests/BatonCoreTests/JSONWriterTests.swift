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

    @Test("integers are written in decimal, with their sign, at both ends of the range", arguments: [
        0, 7, -7, 10, -10, 1_234_567_890, Int64.max, Int64.min,
    ] as [Int64])
    func integers(v: Int64) {
        var w = JSONWriter()
        w.openArray()
        w.int(v)
        w.closeArray()
        #expect(String(decoding: w.bytes, as: UTF8.self) == "[\(v)]")
    }

    @Test("a key written ahead of time is the key written in place")
    func quotedKeys() throws {
        var ahead = JSONWriter(), inPlace = JSONWriter()
        ahead.openObject()
        inPlace.openObject()
        for (k, v) in [("on_time_rate", 1), ("tên \"cơ quan\"", 2)] {
            ahead.key(quoted: JSONWriter.quotedKey(k))
            ahead.int(Int64(v))
            inPlace.field(k, v)
        }
        ahead.closeObject()
        inPlace.closeObject()
        #expect(ahead.bytes == inPlace.bytes)
        #expect(try JSONParser.parse(String(decoding: ahead.bytes, as: UTF8.self))
            == .object(["on_time_rate": .number(1), "tên \"cơ quan\"": .number(2)]))
    }
}

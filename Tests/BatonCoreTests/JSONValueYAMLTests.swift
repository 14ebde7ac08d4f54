import Foundation
import Testing
@testable import BatonCore

@Suite("JSONValue from YAML 1.2")
struct JSONValueYAMLTests {
    func value(_ scalar: String) throws -> JSONValue? {
        try JSONValue.parse(yaml: "v: \(scalar)\n")["v"]
    }

    @Test("YAML 1.1 booleans stay strings", arguments: ["on", "On", "ON", "off", "Off", "yes", "Yes", "YES", "no", "No", "NO", "y", "n", "Y", "N"])
    func notBooleans(word: String) throws {
        #expect(try value(word) == .string(word))
    }

    @Test("`on` is a plain key, never a boolean key")
    func onAsKey() throws {
        let v = try JSONValue.parse(yaml: "on: 2024-11-15\nyes: 1\nno: false\noff: ~\n")
        #expect(v == .object(["on": .string("2024-11-15"), "yes": .number(1), "no": .bool(false), "off": .null]))
        #expect(try JSONValue.parse(yaml: "{on: x}") == .object(["on": .string("x")]))
    }

    @Test("core-schema booleans and nulls", arguments: [
        ("true", JSONValue.bool(true)), ("True", .bool(true)), ("TRUE", .bool(true)),
        ("false", .bool(false)), ("False", .bool(false)), ("FALSE", .bool(false)),
        ("null", .null), ("Null", .null), ("NULL", .null), ("~", .null), ("", .null),
        ("tRUE", .string("tRUE")), ("nil", .string("nil")), ("None", .string("None")),
    ])
    func boolsAndNulls(scalar: String, expected: JSONValue) throws {
        #expect(try value(scalar) == expected)
    }

    @Test("core-schema numbers", arguments: [
        ("0", 0.0), ("42", 42), ("-17", -17), ("+12", 12), ("007", 7), ("3.25", 3.25), ("-0.5", -0.5), (".5", 0.5),
        ("1.", 1), ("1e3", 1000), ("2.5E-2", 0.025), ("-1e+2", -100), ("12345678901234", 12_345_678_901_234),
    ])
    func numbers(scalar: String, expected: Double) throws {
        #expect(try value(scalar) == .number(expected))
    }

    @Test("what only looks like a number stays a string", arguments: [
        "1_000", "0x1F", "0o17", "1,5", "1.2.3", "2024-11-15", "06-01", "12:30", "1e", "e3", ".", "+", "-x", ".inf", "-.inf", ".nan",
        "204/KH-BCĐ138", "1 000", "١٢",
    ])
    func stringsThatLookNumeric(scalar: String) throws {
        #expect(try value(scalar) == .string(scalar))
    }

    @Test("quoted scalars stay strings", arguments: [
        ("'true'", "true"), ("\"false\"", "false"), ("'null'", "null"), ("\"~\"", "~"), ("'42'", "42"), ("\"3.5\"", "3.5"),
        ("'on'", "on"), ("\"\"", ""), ("''", ""), ("\"06-01\"", "06-01"), ("'it''s'", "it's"), ("\"a\\tb\"", "a\tb"),
    ])
    func quoted(scalar: String, expected: String) throws {
        #expect(try value(scalar) == .string(expected))
    }

    @Test("block scalars are strings, also when they look like other things")
    func blockScalars() throws {
        #expect(try JSONValue.parse(yaml: "v: |\n  true\n")["v"] == .string("true\n"))
        #expect(try JSONValue.parse(yaml: "v: >-\n  12\n")["v"] == .string("12"))
    }

    @Test("structures: nested mappings and sequences, flow and block, Vietnamese text")
    func structures() throws {
        let v = try JSONValue.parse(yaml: """
            # a comment
            plan:
              number: 204/KH-BCĐ138
              tasks:
                - key: a
                  due: {yearly_before: ["06-01", "12-01"]}
                - [1, two, null, true]
              empty_list: []
              empty_map: {}
            """)
        #expect(v == .object(["plan": .object([
            "number": .string("204/KH-BCĐ138"),
            "tasks": .array([
                .object(["key": .string("a"), "due": .object(["yearly_before": .array([.string("06-01"), .string("12-01")])])]),
                .array([.number(1), .string("two"), .null, .bool(true)]),
            ]),
            "empty_list": .array([]),
            "empty_map": .object([:]),
        ])]))
    }

    @Test("numeric keys become their text")
    func numericKeys() throws {
        let v = try JSONValue.parse(yaml: "years:\n  2025: {a: 1}\n  true: 2\n")
        #expect(v["years"]?.objectValue?.keys.sorted() == ["2025", "true"])
    }

    @Test("an empty document is null; a scalar document is that scalar")
    func documents() throws {
        #expect(try JSONValue.parse(yaml: "") == .null)
        #expect(try JSONValue.parse(yaml: "# only a comment\n") == .null)
        #expect(try JSONValue.parse(yaml: "hello") == .string("hello"))
        #expect(try JSONValue.parse(yaml: "---\n- 1\n") == .array([.number(1)]))
    }

    @Test("anchors and aliases resolve to the anchored value")
    func aliases() throws {
        #expect(try JSONValue.parse(yaml: "a: &x 1\nb: *x\n") == .object(["a": .number(1), "b": .number(1)]))
        let reused = "coop: &c [CA-CTA, TP-CTA]\ntasks:\n" + (1...20).map { "  - {key: t\($0), cooperating: *c}\n" }.joined()
        #expect(try JSONValue.parse(yaml: reused)["tasks"]?.arrayValue?[19]["cooperating"] == .array([.string("CA-CTA"), .string("TP-CTA")]))
    }

    @Test("aliases that multiply a tiny document (billion laughs) are refused at once", arguments: [4, 7, 9])
    func aliasBomb(levels: Int) {
        var yaml = "a0: &a0 [" + Array(repeating: "x", count: 10).joined(separator: ",") + "]\n"
        for i in 1...levels { yaml += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ",") + "]\n" }
        let e = batonError { try JSONValue.parse(yaml: yaml) }
        #expect(e?.code == .malformed && e?.detail.contains("aliases") == true, "\(e?.description ?? "accepted")")
    }

    @Test("duplicate keys are refused as malformed", arguments: [
        "a: 1\na: 2\n", "on: 1\non: 2\n", "{a: 1, a: 2}", "x:\n  k: 1\n  k: 1\n",
    ])
    func duplicateKeys(yaml: String) {
        let e = batonError { try JSONValue.parse(yaml: yaml) }
        #expect(e?.code == .malformed, "\(yaml)")
    }

    @Test("malformed YAML is malformed, with a line and no echo of the document", arguments: [
        "a: [1, 2\n", "a: {b: 1\n", "a: b: c\n", "- a\nb: 1\n", "a:\n\t- b\n", "'unterminated\n", "a: \"x\n", "--- 1\n--- 2\n",
        "key: value\n  bad indent: 1\n", "? [a, b]\n: 1\n", "{[1]: 2}",
    ])
    func malformed(yaml: String) {
        let e = batonError { try JSONValue.parse(yaml: yaml) }
        #expect(e?.code == .malformed, "\(yaml.debugDescription) → \(e?.description ?? "accepted")")
        #expect(e?.field == nil)
        #expect(!(e?.detail.contains("\n") ?? true), "one line")
    }

    @Test("documents nested deeper than JSON allows are refused before parsing", arguments: [
        String(repeating: "[", count: 100_000),
        "title: it's\n" + String(repeating: "[", count: 65),
        "# a 'comment\n" + String(repeating: "{a: ", count: 65),
        String(repeating: "- ", count: 100_000) + "x\n",
        (0..<70).map { String(repeating: "  ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n",
    ])
    func tooDeep(yaml: String) {
        let e = batonError { try JSONValue.parse(yaml: yaml) }
        #expect(e?.code == .malformed && e?.detail.contains("nested too deeply") == true, "\(yaml.prefix(40).debugDescription)")
    }

    @Test("brackets inside quotes and comments, and 64 levels, are fine")
    func deepEnough() throws {
        #expect(try JSONValue.parse(yaml: "a: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[['\n# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\nb: \"\\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"\n")["b"] != nil)
        let nested = String(repeating: "[", count: 63) + String(repeating: "]", count: 63)
        #expect(try JSONValue.parse(yaml: "a: " + nested + "\n")["a"] != nil)
    }

    @Test("the line of a syntax error is reported")
    func errorLine() {
        let e = batonError { try JSONValue.parse(yaml: "a: 1\nb: 2\nc: [3\n") }
        #expect(e?.detail.contains("line") == true)
    }
}

@Suite("JSONValue")
struct JSONValueTests {
    @Test("JSON parse keeps booleans, numbers and strings apart")
    func parseJSON() throws {
        let v = try json(#"{"b": true, "n": 1, "z": 0, "f": 1.5, "s": "1", "null": null, "a": [false, "x"], "o": {}}"#)
        #expect(v == .object(["b": .bool(true), "n": .number(1), "z": .number(0), "f": .number(1.5), "s": .string("1"),
                              "null": .null, "a": .array([.bool(false), .string("x")]), "o": .object([:])]))
    }

    @Test("malformed JSON is malformed", arguments: ["{", "{\"a\": }", "[1 2]", "'a'", "{a: 1}", "", "nul", "{\"a\": 1} x"])
    func malformedJSON(text: String) {
        #expect(batonError { try JSONValue.parse(json: Data(text.utf8)) }?.code == .malformed, "\(text)")
    }

    @Test("compact JSON text with sorted keys, whole numbers without a fraction")
    func jsonText() throws {
        let v = JSONValue.object(["b": .number(2), "a": .array([.number(1.5), .null, .bool(true), .string("x/y")]), "c": .number(-3)])
        #expect(v.jsonText == #"{"a":[1.5,null,true,"x/y"],"b":2,"c":-3}"#)
        #expect(try json(v.jsonText) == v)
        #expect(JSONValue.string("Tiếng Việt").jsonText == "\"Tiếng Việt\"")
    }

    @Test("accessors")
    func accessors() {
        #expect(JSONValue.number(2024).stringValue == nil, "a number is not text")
        #expect(JSONValue.number(1.5).stringValue == nil)
        #expect(JSONValue.string("x").stringValue == "x")
        #expect(JSONValue.bool(true).stringValue == nil)
        #expect(JSONValue.null.stringValue == nil)
        #expect(JSONValue.number(5).intValue == 5)
        #expect(JSONValue.number(-3).intValue == -3)
        #expect(JSONValue.number(1.5).intValue == nil)
        #expect(JSONValue.number(1e20).intValue == nil)
        #expect(JSONValue.string("5").intValue == nil)
        #expect(JSONValue.bool(true).intValue == nil)
        #expect(JSONValue.object(["a": .null])["a"] == .null)
        #expect(JSONValue.object(["a": .null])["b"] == nil)
        #expect(JSONValue.array([])["a"] == nil)
        #expect(JSONValue.null.isNull && !JSONValue.string("").isNull)
        #expect(JSONValue.array([.null]).arrayValue == [.null])
        #expect(JSONValue.string("x").objectValue == nil)
    }
}

@Suite("BatonError")
struct BatonErrorTests {
    @Test("wire names of the codes", arguments: [
        (BatonError.Code.unauthenticated, "unauthenticated"), (.forbidden, "forbidden"), (.notFound, "not_found"),
        (.invalidTransition, "invalid_transition"), (.versionConflict, "version_conflict"), (.validationFailed, "validation_failed"),
        (.malformed, "malformed"), (.payloadTooLarge, "payload_too_large"), (.unsupportedMediaType, "unsupported_media_type"),
        (.rateLimited, "rate_limited"), (.conflict, "conflict"), (.internalError, "internal"),
    ])
    func codes(code: BatonError.Code, wire: String) {
        #expect(code.description == wire)
    }

    @Test("description leads with the field")
    func description() {
        #expect(BatonError.invalid("tasks[2].due.before", "is not a date").description == "tasks[2].due.before: is not a date")
        #expect(BatonError.invalid(nil, "bad").description == "bad")
        #expect(BatonError.notFound("task").code == .notFound)
        #expect(BatonError.notFound("task").detail == "task was not found")
    }
}

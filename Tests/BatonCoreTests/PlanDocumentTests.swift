import Foundation
import Testing
@testable import BatonCore

@Suite("PlanDocument")
struct PlanDocumentTests {
    /// The plan document of API.md, word for word.
    static let apiExample = """
        number: 204/KH-BCĐ138
        title: Phòng ngừa tội phạm xâm hại tình dục trẻ em
        issued_on: 2024-10-30
        issuer: BCD138-CTA
        monitor: CA-CTA
        tasks:
          - key: unit-plans                      # unique within the plan
            title: Xây dựng kế hoạch của đơn vị và gửi về BCĐ 138 huyện
            lead: {each_under: UBND-CTA}           # fan-out: one task per agency under UBND-CTA
            due: {before: 2024-11-15}
          - key: school-safety
            title: Phối hợp phòng chống bạo lực học đường
            lead: CA-CTA
            cooperating: [GDDT-CTA]
            due: {working_days: 20}               # counted from issued_on on the working calendar
          - key: semiannual-report
            title: Báo cáo kết quả 6 tháng
            lead: {each_of_kind: school}
            due: {yearly_before: ["06-01", "12-01"]}   # recurring: one task per agency per period
        """

    static let apiExampleJSON = """
        {"number": "204/KH-BCĐ138", "title": "Phòng ngừa tội phạm xâm hại tình dục trẻ em", "issued_on": "2024-10-30",
         "issuer": "BCD138-CTA", "monitor": "CA-CTA", "tasks": [
          {"key": "unit-plans", "title": "Xây dựng kế hoạch của đơn vị và gửi về BCĐ 138 huyện",
           "lead": {"each_under": "UBND-CTA"}, "due": {"before": "2024-11-15"}},
          {"key": "school-safety", "title": "Phối hợp phòng chống bạo lực học đường", "lead": "CA-CTA",
           "cooperating": ["GDDT-CTA"], "due": {"working_days": 20}},
          {"key": "semiannual-report", "title": "Báo cáo kết quả 6 tháng", "lead": {"each_of_kind": "school"},
           "due": {"yearly_before": ["06-01", "12-01"]}}]}
        """

    @Test("the API.md example plan reads")
    func apiExample() throws {
        let plan = try PlanDocument(json: JSONValue.parse(yaml: Self.apiExample))
        #expect(plan.number == "204/KH-BCĐ138")
        #expect(plan.title == "Phòng ngừa tội phạm xâm hại tình dục trẻ em")
        #expect(plan.issuedOn == day("2024-10-30"))
        #expect(plan.issuer == "BCD138-CTA")
        #expect(plan.monitor == "CA-CTA")
        #expect(plan.basis == nil && plan.description == nil)
        #expect(plan.timeZone == "Asia/Ho_Chi_Minh")
        #expect(plan.calendar == "vn")
        #expect(plan.tasks.map(\.key) == ["unit-plans", "school-safety", "semiannual-report"])
        #expect(plan.tasks.map(\.lead) == [.eachUnder("UBND-CTA"), .agency("CA-CTA"), .eachOfKind("school")])
        #expect(plan.tasks.map(\.due) == [.before(day("2024-11-15")), .workingDays(20),
                                          .yearlyBefore(["06-01", "12-01"].compactMap(MonthDay.init))])
        #expect(plan.tasks[1].cooperating == [.init(agency: "GDDT-CTA", due: nil)])
        #expect(plan.tasks.allSatisfy { $0.workflow == "task" && $0.description == nil })
        #expect(plan.tasks.map(\.lead.isFanOut) == [true, false, true])
    }

    @Test("the JSON spelling is the same plan")
    func jsonEquivalent() throws {
        let fromYAML = try PlanDocument(json: JSONValue.parse(yaml: Self.apiExample))
        let fromJSON = try PlanDocument(json: json(Self.apiExampleJSON))
        #expect(fromYAML == fromJSON)
        // JSON is YAML too.
        #expect(try PlanDocument(json: JSONValue.parse(yaml: Self.apiExampleJSON)) == fromJSON)
    }

    @Test("`on:` is the due form, never a boolean")
    func onIsAKey() throws {
        let plan = try PlanDocument(json: JSONValue.parse(yaml: """
            number: "01/KH"
            title: Kế hoạch
            issued_on: 2025-01-02
            issuer: BCD138-CTA
            tasks:
              - key: a
                title: Báo cáo
                lead: CA-CTA
                due:
                  on: 2025-01-31
              - key: b
                title: Báo cáo 2
                lead: CA-CTA
                due: {on: 2025-02-28}
            """))
        #expect(plan.tasks.map(\.due) == [.on(day("2025-01-31")), .on(day("2025-02-28"))])
        #expect(plan.monitor == nil)
    }

    @Test("every optional plan field")
    func optionalFields() throws {
        let plan = try PlanDocument(json: json("""
            {"number": " 12/KH-UBND ", "title": "  Kế hoạch  ", "issued_on": "2026-02-10", "issuer": "UBND-CTA", "monitor": null,
             "basis": "Căn cứ Luật Trẻ em 2016;\\nCăn cứ …", "description": "Dòng 1\\n\\tDòng 2", "time_zone": "UTC",
             "calendar": "vn-2", "tasks": null}
            """))
        #expect(plan.number == " 12/KH-UBND " && plan.title == "  Kế hoạch  ", "text is data: kept exactly as sent")
        #expect(plan.monitor == nil)
        #expect(plan.basis == "Căn cứ Luật Trẻ em 2016;\nCăn cứ …")
        #expect(plan.description == "Dòng 1\n\tDòng 2")
        #expect(plan.timeZone == "UTC")
        #expect(plan.calendar == "vn-2")
        #expect(plan.tasks.isEmpty)
    }

    static let base: [String: JSONValue] = [
        "number": .string("204/KH-BCĐ138"), "title": .string("Kế hoạch"), "issued_on": .string("2024-10-30"),
        "issuer": .string("BCD138-CTA"),
    ]

    static func with(_ changes: [String: JSONValue?]) -> JSONValue {
        var o = base
        for (k, v) in changes { o[k] = v }
        return .object(o)
    }

    /// (change to a valid plan, the field the error names)
    static let invalidPlans: [([String: JSONValue?], String?)] = [
        (["number": nil], "number"),
        (["number": .string("   ")], "number"),
        (["number": .number(204)], "number"),
        (["number": .string(String(repeating: "1", count: 201))], "number"),
        (["title": nil], "title"),
        (["title": .null], "title"),
        (["title": .string("")], "title"),
        (["title": .string(String(repeating: "ệ", count: 1_001))], "title"),
        (["title": .string("Dòng 1\nDòng 2")], "title"),
        (["title": .string("NUL\u{0}byte")], "title"),
        (["title": .string("bell\u{7}")], "title"),
        (["title": .string("tab\tinside")], "title"),
        (["title": .string("del\u{7F}")], "title"),
        (["title": .string("c\u{85}1")], "title"),
        (["issued_on": nil], "issued_on"),
        (["issued_on": .string("30/10/2024")], "issued_on"),
        (["issued_on": .string("2024-02-30")], "issued_on"),
        (["issued_on": .bool(true)], "issued_on"),
        (["issuer": nil], "issuer"),
        (["issuer": .string("")], "issuer"),
        (["issuer": .string("BCĐ 138")], "issuer"),
        (["issuer": .string("-CA")], "issuer"),
        (["issuer": .string(String(repeating: "A", count: 65))], "issuer"),
        (["monitor": .string("CA CTA")], "monitor"),
        (["monitor": .string("")], "monitor"),
        (["basis": .string("căn cứ\u{0}")], "basis"),
        (["basis": .number(1)], "basis"),
        (["description": .string("x\u{1B}[31m")], "description"),
        (["description": .string(String(repeating: "a", count: 50_001))], "description"),
        (["time_zone": .string("Asia/Hanoi_City")], "time_zone"),
        (["time_zone": .string("")], "time_zone"),
        (["calendar": .string("VN")], "calendar"),
        (["calendar": .string("../vn")], "calendar"),
        (["tasks": .object([:])], "tasks"),
        (["tasks": .string("unit-plans")], "tasks"),
        (["colour": .string("red")], "colour"),
        (["Number": .string("1")], "Number"),
        (["id": .string("x")], "id"),
    ]

    @Test("every bad plan field is refused, by name", arguments: invalidPlans)
    func refusesPlan(changes: [String: JSONValue?], field: String?) {
        let e = batonError { try PlanDocument(json: Self.with(changes)) }
        #expect(e?.code == .validationFailed, "\(changes)")
        #expect(e?.field == field, "\(changes): \(e?.description ?? "")")
    }

    @Test("limits are inclusive")
    func limits() throws {
        let title = String(repeating: "ệ", count: 1_000)
        #expect(try PlanDocument(json: Self.with(["title": .string(title)])).title == title)
        #expect(try PlanDocument(json: Self.with(["issuer": .string(String(repeating: "A", count: 64))])).issuer.count == 64)
        #expect(try PlanDocument(json: Self.with(["number": .string(String(repeating: "1", count: 200))])).number.count == 200)
    }

    @Test("not an object")
    func notAnObject() throws {
        for value in [JSONValue.null, .array([]), .string("plan"), try JSONValue.parse(yaml: "")] {
            let e = batonError { try PlanDocument(json: value) }
            #expect(e?.code == .validationFailed)
            #expect(e?.field == nil)
        }
    }

    @Test("tasks are refused where a plan is created without them")
    func tasksNotAllowed() throws {
        #expect(try PlanDocument(json: Self.base.asJSON, tasksAllowed: false).tasks.isEmpty)
        let e = batonError { try PlanDocument(json: Self.with(["tasks": .array([])]), tasksAllowed: false) }
        #expect(e?.field == "tasks")
    }

    @Test("duplicate task keys are refused at the second one")
    func duplicateKeys() throws {
        let e = batonError { try PlanDocument(json: JSONValue.parse(yaml: """
            number: "1"
            title: t
            issued_on: 2024-10-30
            issuer: BCD138-CTA
            tasks:
              - {key: a, title: A, lead: CA-CTA}
              - {key: b, title: B, lead: CA-CTA}
              - {key: a, title: C, lead: GDDT-CTA}
            """)) }
        #expect(e?.code == .validationFailed)
        #expect(e?.field == "tasks[2].key")
        #expect(e?.detail.contains("'a'") == true)
    }

    @Test("task errors name the task by position")
    func taskPath() throws {
        let e = batonError { try PlanDocument(json: JSONValue.parse(yaml: """
            number: "1"
            title: t
            issued_on: 2024-10-30
            issuer: BCD138-CTA
            tasks:
              - {key: a, title: A, lead: CA-CTA}
              - {key: b, title: B, lead: CA-CTA, due: {before: 2024-11-31}}
            """)) }
        #expect(e?.field == "tasks[1].due.before")
    }
}

@Suite("TaskSpec")
struct TaskSpecTests {
    static func spec(_ text: String, keyRequired: Bool = true, extraKeys: Set<String> = []) throws -> TaskSpec {
        try TaskSpec(json: JSONValue.parse(yaml: text), path: "tasks[0]", keyRequired: keyRequired, extraKeys: extraKeys)
    }

    @Test("a full task")
    func full() throws {
        let t = try Self.spec("""
            key: school-safety
            title: Phối hợp phòng chống bạo lực học đường
            description: |
              Dòng một.
              Dòng hai.
            lead: CA-CTA
            cooperating:
              - GDDT-CTA
              - {agency: YTE-CTA, due: {before: 2024-11-10}}
              - {agency: VHTT-CTA, due: null}
            due: {working_days: 20}
            workflow: inspection_v2
            """)
        #expect(t.key == "school-safety")
        #expect(t.description == "Dòng một.\nDòng hai.\n", "a YAML literal block keeps its final new line")
        #expect(t.lead == .agency("CA-CTA"))
        #expect(t.cooperating == [.init(agency: "GDDT-CTA", due: nil), .init(agency: "YTE-CTA", due: .before(day("2024-11-10"))),
                                  .init(agency: "VHTT-CTA", due: nil)])
        #expect(t.due == .workingDays(20))
        #expect(t.workflow == "inspection_v2")
    }

    @Test("the smallest task: no key where none is required, no due, the default workflow")
    func smallest() throws {
        let t = try TaskSpec(json: json(#"{"title": "T", "lead": "CA-CTA", "plan_id": "x", "key": null, "due": null, "workflow": null}"#),
                             path: "", keyRequired: false, extraKeys: ["plan_id"])
        #expect(t.key == nil)
        #expect(t.due == nil)
        #expect(t.cooperating.isEmpty)
        #expect(t.workflow == "task")
        #expect(t.lead.json == .string("CA-CTA"))
    }

    @Test("fields directly on the body are named without a prefix")
    func emptyPath() throws {
        let e = batonError { try TaskSpec(json: json(#"{"title": "T"}"#), path: "", keyRequired: false) }
        #expect(e?.field == "lead")
        let notObject = batonError { try TaskSpec(json: .array([]), path: "", keyRequired: false) }
        #expect(notObject?.field == nil)
    }

    /// (task JSON, the field the error names)
    static let invalidTasks: [(String, String)] = [
        (#"{"title": "T", "lead": "CA-CTA"}"#, "tasks[0].key"),
        (#"{"key": "", "title": "T", "lead": "CA-CTA"}"#, "tasks[0].key"),
        (#"{"key": "a b", "title": "T", "lead": "CA-CTA"}"#, "tasks[0].key"),
        (#"{"key": "-a", "title": "T", "lead": "CA-CTA"}"#, "tasks[0].key"),
        (#"{"key": ["a"], "title": "T", "lead": "CA-CTA"}"#, "tasks[0].key"),
        (#"{"key": "a", "lead": "CA-CTA"}"#, "tasks[0].title"),
        (#"{"key": "a", "title": "  ", "lead": "CA-CTA"}"#, "tasks[0].title"),
        (#"{"key": "a", "title": "T\u0000", "lead": "CA-CTA"}"#, "tasks[0].title"),
        (#"{"key": "a", "title": "T\r\nU", "lead": "CA-CTA"}"#, "tasks[0].title"),
        (#"{"key": "a", "title": "T", "description": "x\u0000", "lead": "CA-CTA"}"#, "tasks[0].description"),
        (#"{"key": "a", "title": "T", "description": 5, "lead": "CA-CTA"}"#, "tasks[0].description"),
        (#"{"key": "a", "title": "T"}"#, "tasks[0].lead"),
        (#"{"key": "a", "title": "T", "lead": null}"#, "tasks[0].lead"),
        (#"{"key": "a", "title": "T", "lead": ""}"#, "tasks[0].lead"),
        (#"{"key": "a", "title": "T", "lead": "CA CTA"}"#, "tasks[0].lead"),
        (#"{"key": "a", "title": "T", "lead": 42}"#, "tasks[0].lead"),
        (#"{"key": "a", "title": "T", "lead": ["CA-CTA"]}"#, "tasks[0].lead"),
        (#"{"key": "a", "title": "T", "lead": {}}"#, "tasks[0].lead"),
        (#"{"key": "a", "title": "T", "lead": {"each_above": "UBND-CTA"}}"#, "tasks[0].lead"),
        (#"{"key": "a", "title": "T", "lead": {"each_under": "UBND-CTA", "each_of_kind": "school"}}"#, "tasks[0].lead"),
        (#"{"key": "a", "title": "T", "lead": {"each_under": ""}}"#, "tasks[0].lead.each_under"),
        (#"{"key": "a", "title": "T", "lead": {"each_under": [7]}}"#, "tasks[0].lead.each_under"),
        (#"{"key": "a", "title": "T", "lead": {"each_of_kind": "School"}}"#, "tasks[0].lead.each_of_kind"),
        (#"{"key": "a", "title": "T", "lead": {"each_of_kind": "primary school"}}"#, "tasks[0].lead.each_of_kind"),
        (#"{"key": "a", "title": "T", "lead": {"each_of_kind": null}}"#, "tasks[0].lead.each_of_kind"),
        (#"{"key": "a", "title": "T", "lead": "CA-CTA", "cooperating": "GDDT-CTA"}"#, "tasks[0].cooperating"),
        (#"{"key": "a", "title": "T", "lead": "CA-CTA", "cooperating": ["GDDT CTA"]}"#, "tasks[0].cooperating[0]"),
        (#"{"key": "a", "title": "T", "lead": "CA-CTA", "cooperating": [7]}"#, "tasks[0].cooperating[0]"),
        (#"{"key": "a", "title": "T", "lead": "CA-CTA", "cooperating": ["GDDT-CTA", "GDDT-CTA"]}"#, "tasks[0].cooperating[1]"),
        (#"{"key": "a", "title": "T", "lead": "CA-CTA", "cooperating": ["GDDT-CTA", {"agency": "GDDT-CTA"}]}"#, "tasks[0].cooperating[1]"),
        (#"{"key": "a", "title": "T", "lead": "CA-CTA", "cooperating": ["CA-CTA"]}"#, "tasks[0].cooperating"),
        (#"{"key": "a", "title": "T", "lead": "CA-CTA", "cooperating": [{"agency": "YTE-CTA", "role": "x"}]}"#, "tasks[0].cooperating[0].role"),
        (#"{"key": "a", "title": "T", "lead": "CA-CTA", "cooperating": [{"due": {"before": "2024-11-10"}}]}"#, "tasks[0].cooperating[0].agency"),
        (#"{"key": "a", "title": "T", "lead": "CA-CTA", "cooperating": [{"agency": "YTE-CTA", "due": {"before": "x"}}]}"#,
         "tasks[0].cooperating[0].due.before"),
        (#"{"key": "a", "title": "T", "lead": "CA-CTA", "cooperating": [{"agency": "YTE-CTA", "due": {"yearly_before": ["06-01"]}}]}"#,
         "tasks[0].cooperating[0].due"),
        (#"{"key": "a", "title": "T", "lead": "CA-CTA", "due": {"working_days": 0}}"#, "tasks[0].due.working_days"),
        (#"{"key": "a", "title": "T", "lead": "CA-CTA", "due": "2024-11-15"}"#, "tasks[0].due"),
        (#"{"key": "a", "title": "T", "lead": "CA-CTA", "workflow": "Task"}"#, "tasks[0].workflow"),
        (#"{"key": "a", "title": "T", "lead": "CA-CTA", "workflow": 1}"#, "tasks[0].workflow"),
        (#"{"key": "a", "title": "T", "lead": "CA-CTA", "owner": "x"}"#, "tasks[0].owner"),
        (#"{"key": "a", "title": "T", "lead": "CA-CTA", "plan_id": "x"}"#, "tasks[0].plan_id"),
    ]

    @Test("every bad task field is refused, by path", arguments: invalidTasks)
    func refusesTask(text: String, field: String) throws {
        let value = try json(text)
        let e = batonError { try TaskSpec(json: value, path: "tasks[0]", keyRequired: true) }
        #expect(e?.code == .validationFailed, "\(text)")
        #expect(e?.field == field, "\(text): \(e?.description ?? "")")
    }

    @Test("an over-long title is refused; multi-line descriptions are fine")
    func lengths() throws {
        let long = String(repeating: "x", count: TaskSpec.titleLimit + 1)
        #expect(batonError { try TaskSpec(json: .object(["title": .string(long), "lead": .string("A")]), path: "", keyRequired: false) }?
            .field == "title")
        let t = try TaskSpec(json: .object(["title": .string("T"), "lead": .string("A"), "description": .string("a\r\nb\tc")]),
                             path: "", keyRequired: false)
        #expect(t.description == "a\r\nb\tc")
    }
}

@Suite("LeadForm")
struct LeadFormTests {
    @Test("each form reads and writes back", arguments: [
        (#""CA-CTA""#, LeadForm.agency("CA-CTA")),
        (#"{"each_under": "UBND-CTA"}"#, .eachUnder("UBND-CTA")),
        (#"{"each_of_kind": "school"}"#, .eachOfKind("school")),
        (#"{"each_of_kind": "school", "under": "GDDT-CTA"}"#, .eachOfKind("school", under: "GDDT-CTA")),
        (#""a.b_c-9""#, .agency("a.b_c-9")),
    ])
    func forms(text: String, expected: LeadForm) throws {
        let form = try LeadForm(json: json(text), field: "lead")
        #expect(form == expected)
        #expect(try LeadForm(json: form.json, field: "lead") == form)
        #expect(form.isFanOut == (text.first == "{"))
    }

    @Test("bad fan-outs name the field", arguments: [
        (#"{}"#, "lead"), (#"{"each_under": "X", "under": "Y"}"#, "lead"), (#"{"each_of_kind": "school", "near": "Y"}"#, "lead.near"),
        (#"{"each_of_kind": "school", "under": 3}"#, "lead.under"), (#"{"each_of_kind": "School"}"#, "lead.each_of_kind"),
        (#"{"under": "GDDT"}"#, "lead"), (#"{"each_of": "school"}"#, "lead"), (#"["CA"]"#, "lead"), ("3", "lead"),
    ])
    func badForms(text: String, field: String) throws {
        do {
            _ = try LeadForm(json: json(text), field: "lead")
            Issue.record("accepted \(text)")
        } catch let e as BatonError { #expect(e.field == field, "\(text)") }
    }

    @Test("codes: ASCII letters, digits, . _ -, 1 to 64", arguments: [
        ("CA-CTA", true), ("ubnd.xa_1", true), ("9", true), ("", false), ("-CA", false), (".CA", false), ("CA CTA", false),
        ("CA/CTA", false), ("BCĐ138", false), ("CA\u{0}", false), (String(repeating: "A", count: 64), true),
        (String(repeating: "A", count: 65), false), ("Ａ", false), ("CA\n", false),
    ])
    func codes(code: String, valid: Bool) {
        #expect(((try? Text.code(code, field: "f")) != nil) == valid, "\(code.debugDescription)")
    }

    @Test("kinds: lower_snake_case", arguments: [
        ("school", true), ("primary_school", true), ("police2", true), ("School", false), ("2school", false), ("", false),
        ("school-1", false), ("trường", false),
    ])
    func kinds(kind: String, valid: Bool) {
        #expect(((try? Text.kind(kind, field: "f")) != nil) == valid, "\(kind)")
    }

    @Test("human text: control characters refused, new lines only where multiline")
    func words() throws {
        #expect(try Text.words(.string(" a "), field: "f", max: 5) == " a ", "kept exactly")
        #expect(try Text.words(nil, field: "f", max: 5, required: false) == nil)
        #expect(try Text.words(.string("  "), field: "f", max: 5, required: false) == nil)
        #expect(try Text.words(.string("a\nb"), field: "f", max: 5, multiline: true) == "a\nb")
        #expect(try Text.words(.string("Tiếng Việt"), field: "f", max: 10) == "Tiếng Việt", "graphemes, not bytes")
        for bad in ["a\u{0}", "a\u{1}b", "a\nb", "a\u{1B}", "a\u{9F}"] {
            let e = batonError { try Text.words(.string(bad), field: "f", max: 50) }
            #expect(e?.field == "f", "\(bad.debugDescription)")
            #expect(e?.detail.contains("control") == true || e?.detail.contains("U+") == true)
        }
        #expect(batonError { try Text.words(.string("a\u{0}"), field: "f", max: 50, multiline: true) }?.field == "f")
        #expect(batonError { try Text.words(.string("abcdef"), field: "f", max: 5) }?.detail.contains("5") == true)
        #expect(batonError { try Text.words(.bool(true), field: "f", max: 5) }?.detail == "must be text")
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    var asJSON: JSONValue { .object(self) }
}

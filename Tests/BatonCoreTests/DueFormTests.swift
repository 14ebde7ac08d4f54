import Foundation
import Testing
@testable import BatonCore

@Suite("DueForm")
struct DueFormTests {
    @Test("reads every form")
    func everyForm() throws {
        #expect(try DueForm(json: json(#"{"before": "2024-11-15"}"#), field: "due") == .before(day("2024-11-15")))
        #expect(try DueForm(json: json(#"{"on": "2024-02-29"}"#), field: "due") == .on(day("2024-02-29")))
        #expect(try DueForm(json: json(#"{"at": "2024-11-15T08:30:00+07:00"}"#), field: "due")
                == .at(instant("2024-11-15T01:30:00Z")))
        #expect(try DueForm(json: json(#"{"working_days": 20}"#), field: "due") == .workingDays(20))
        #expect(try DueForm(json: json(#"{"working_days": 1}"#), field: "due") == .workingDays(1))
        #expect(try DueForm(json: json(#"{"working_days": 366}"#), field: "due") == .workingDays(366))
        let yearly = try DueForm(json: json(#"{"yearly_before": ["12-01", "06-01", "12-01"]}"#), field: "due")
        #expect(yearly == .yearlyBefore([try #require(MonthDay("06-01")), try #require(MonthDay("12-01"))]),
                "sorted, duplicates dropped")
        #expect(yearly.isRecurring)
        #expect(!DueForm.workingDays(3).isRecurring)
        #expect(!DueForm.before(day("2024-11-15")).isRecurring)
    }

    @Test("the YAML spelling of each form reads the same (dates unquoted, `on` as a key)")
    func fromYAML() throws {
        #expect(try DueForm(json: JSONValue.parse(yaml: "{before: 2024-11-15}"), field: "due") == .before(day("2024-11-15")))
        #expect(try DueForm(json: JSONValue.parse(yaml: "on: 2024-11-15"), field: "due") == .on(day("2024-11-15")))
        #expect(try DueForm(json: JSONValue.parse(yaml: "{working_days: 20}"), field: "due") == .workingDays(20))
        #expect(try DueForm(json: JSONValue.parse(yaml: #"{yearly_before: ["06-01", "12-01"]}"#), field: "due")
                == .yearlyBefore(["06-01", "12-01"].compactMap(MonthDay.init)))
    }

    @Test("json writes what init(json:) reads", arguments: [
        DueForm.before(LocalDate(year: 2024, month: 11, day: 15)!),
        .on(LocalDate(year: 2024, month: 2, day: 29)!),
        .at(Date(timeIntervalSince1970: 1_731_603_600)),
        .workingDays(20),
        .yearlyBefore([MonthDay("06-01")!, MonthDay("12-01")!]),
    ])
    func roundTrip(form: DueForm) throws {
        let vn = TimeZone(secondsFromGMT: 7 * 3600)!
        #expect(try DueForm(json: form.json(in: vn), field: "due") == form)
        #expect(try DueForm(json: JSONValue.parse(json: Data(form.json(in: vn).jsonText.utf8)), field: "due") == form)
    }

    @Test("json text of each form")
    func jsonText() {
        let vn = TimeZone(secondsFromGMT: 7 * 3600)!
        #expect(DueForm.workingDays(5).json(in: vn).jsonText == #"{"working_days":5}"#)
        #expect(DueForm.before(day("2024-11-15")).json(in: vn).jsonText == #"{"before":"2024-11-15"}"#)
        #expect(DueForm.at(instant("2024-11-15T00:00:00+07:00")).json(in: vn).jsonText == #"{"at":"2024-11-15T00:00:00+07:00"}"#, "in the plan's zone")
    }

    /// (JSON, the field the error must name)
    static let invalid: [(String, String)] = [
        // shape
        (#""2024-11-15""#, "due"),
        (#"["2024-11-15"]"#, "due"),
        ("null", "due"),
        ("{}", "due"),
        (#"{"before": "2024-11-15", "on": "2024-11-16"}"#, "due"),
        (#"{"by": "2024-11-15"}"#, "due"),
        (#"{"Before": "2024-11-15"}"#, "due"),
        (#"{"after": "2024-11-15"}"#, "due"),
        // dates
        (#"{"before": "2030-02-30"}"#, "due.before"),
        (#"{"before": "2023-02-29"}"#, "due.before"),
        (#"{"on": "9999-12-31"}"#, "due.on"),
        (#"{"at": "9999-12-31T23:00:00+07:00"}"#, "due.at"),
        (#"{"before": "15/11/2024"}"#, "due.before"),
        (#"{"before": 20241115}"#, "due.before"),
        (#"{"before": null}"#, "due.before"),
        (#"{"on": "2024-11-15T00:00:00+07:00"}"#, "due.on"),
        (#"{"on": ""}"#, "due.on"),
        (#"{"at": "2024-11-15"}"#, "due.at"),
        (#"{"at": "2024-11-15T00:00:00"}"#, "due.at"),
        (#"{"at": 1731603600}"#, "due.at"),
        (#"{"at": "tomorrow"}"#, "due.at"),
        // working days
        (#"{"working_days": 0}"#, "due.working_days"),
        (#"{"working_days": -3}"#, "due.working_days"),
        (#"{"working_days": 367}"#, "due.working_days"),
        (#"{"working_days": 1.5}"#, "due.working_days"),
        (#"{"working_days": "5"}"#, "due.working_days"),
        (#"{"working_days": true}"#, "due.working_days"),
        (#"{"working_days": null}"#, "due.working_days"),
        (#"{"working_days": 1e20}"#, "due.working_days"),
        // yearly
        (#"{"yearly_before": []}"#, "due.yearly_before"),
        (#"{"yearly_before": "06-01"}"#, "due.yearly_before"),
        (#"{"yearly_before": null}"#, "due.yearly_before"),
        (#"{"yearly_before": ["02-29"]}"#, "due.yearly_before[0]"),
        (#"{"yearly_before": ["06-01", "13-01"]}"#, "due.yearly_before[1]"),
        (#"{"yearly_before": ["06-01", "2024-12-01"]}"#, "due.yearly_before[1]"),
        (#"{"yearly_before": ["6-1"]}"#, "due.yearly_before[0]"),
        (#"{"yearly_before": [601]}"#, "due.yearly_before[0]"),
        (#"{"yearly_before": ["06-01", null]}"#, "due.yearly_before[1]"),
    ]

    @Test("refuses bad forms with validation_failed, naming the field", arguments: invalid)
    func refuses(text: String, field: String) throws {
        let value = try json(text)
        let error = batonError { try DueForm(json: value, field: "due") }
        #expect(error?.code == .validationFailed)
        #expect(error?.field == field, "\(text)")
        #expect(error?.detail.isEmpty == false)
    }

    @Test("the field path is the caller's, nested")
    func nestedPath() throws {
        let error = batonError { try DueForm(json: json(#"{"before": "2024-13-01"}"#), field: "tasks[2].due") }
        #expect(error?.field == "tasks[2].due.before")
        #expect(error?.description.hasPrefix("tasks[2].due.before: ") == true)
        let yearly = batonError { try DueForm(json: json(#"{"yearly_before": ["06-01", "x"]}"#), field: "tasks[0].cooperating[1].due") }
        #expect(yearly?.field == "tasks[0].cooperating[1].due.yearly_before[1]")
    }

    @Test("long values are shortened in messages")
    func shortMessages() throws {
        let long = String(repeating: "9", count: 500)
        let error = batonError { try DueForm(json: .object(["before": .string(long)]), field: "due") }
        #expect((error?.detail.count ?? 1000) < 200)
    }
}

import Foundation
import Testing
@testable import BatonCore

/// The project's own data files and small helpers shared by the BatonCore tests.
enum Fixture {
    /// The directory holding `Package.swift`, found from this file (symlinks resolved, so a
    /// scratch package that links `Tests/BatonCoreTests` still reaches the real repository).
    static let repoRoot: URL? = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while url.path != "/" && !url.path.isEmpty {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url.deleteLastPathComponent()
        }
        return nil
    }()

    static func text(_ relative: String) throws -> String {
        let root = try #require(repoRoot, "no Package.swift above \(#filePath)")
        return try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    private static let vnResult = Result { try WorkingCalendar(yaml: text("workflows/calendars/vn.yaml"), file: "vn.yaml") }
    private static let taskResult = Result { try WorkflowDefinition(yaml: text("workflows/task.yaml"), file: "task.yaml") }

    /// The real working calendar, `workflows/calendars/vn.yaml`.
    static func vn() throws -> WorkingCalendar { try vnResult.get() }
    /// The real default workflow, `workflows/task.yaml`.
    static func task() throws -> WorkflowDefinition { try taskResult.get() }

    static let hcm = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
    static let utc = TimeZone(identifier: "UTC")!
    static let plus7 = TimeZone(secondsFromGMT: 7 * 3600)!
}

/// A date written in a table; a typo is reported as an issue instead of crashing the run.
func day(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> LocalDate {
    guard let d = LocalDate(text) else {
        Issue.record("fixture \(text) is not a date", sourceLocation: sourceLocation)
        return LocalDate(dayNumber: 0)
    }
    return d
}

/// An instant written in RFC 3339, read by Foundation (an oracle independent of `RFC3339`).
func instant(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Date {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    if let d = f.date(from: text) { return d }
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let d = f.date(from: text) { return d }
    Issue.record("fixture \(text) is not an RFC 3339 instant", sourceLocation: sourceLocation)
    return Date(timeIntervalSince1970: 0)
}

/// Parses a JSON literal written in a test.
func json(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
    try JSONValue.parse(json: Data(text.utf8))
}

/// Runs `body` and returns the `BatonError` it throws, recording an issue when it throws nothing or something else.
@discardableResult
func batonError<T>(_ body: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation) -> BatonError? {
    do {
        let value = try body()
        Issue.record("expected a BatonError, got \(value)", sourceLocation: sourceLocation)
        return nil
    } catch let e as BatonError {
        return e
    } catch {
        Issue.record("expected a BatonError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

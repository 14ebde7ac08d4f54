import ArgumentParser
import BatonCore
import BatonStore
import Foundation

struct WorkflowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "workflow", abstract: "Load, check and draw workflow definitions.",
                                                    subcommands: [Load.self, Validate.self, Graph.self])

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load DIR/*.yaml workflows and DIR/calendars/*.yaml (default: the project's workflows/).")
        @Argument(help: "The directory.") var directory: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let dir = try directory ?? ProjectFiles.locate().workflowsDirectory
            let loaded = try await database.withStore { try await $0.loadDefinitions(directory: dir) }
            for d in loaded {
                let what = d.kind == "workflow" ? "workflow \(d.name) v\(d.version ?? 0)" : "calendar \(d.name)"
                Output.line("\(what): \(d.changed ? "loaded" : "unchanged") (\(d.file))")
            }
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check workflow files; the first error names the file and line.")
        @Argument(help: "The files.") var files: [String]

        func run() throws {
            guard !files.isEmpty else { throw CLIError("give at least one workflow file") }
            for file in files {
                let d = try WorkflowDefinition(yaml: try readText(file), file: file)
                Output.line("\(file): ok — workflow \(d.name), \(d.states.count) states, \(d.transitions.count) transitions")
            }
        }
    }

    struct Graph: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a workflow as a Mermaid state diagram.")
        @Argument(help: "A workflow name (workflows/NAME.yaml, else the database) or a file.") var name: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            var source: (text: String, file: String)?
            if FileManager.default.fileExists(atPath: name) {
                source = (try readText(name), name)
            } else if let files = try? ProjectFiles.locate(), FileManager.default.fileExists(atPath: "\(files.workflowsDirectory)/\(name).yaml") {
                let file = "\(files.workflowsDirectory)/\(name).yaml"
                source = (try readText(file), file)
            } else if let text = try await database.withStore({ try await $0.workflowSource(name: name) }) {
                source = (text, name)
            }
            guard let source else { throw CLIError("no workflow is named \(name)") }
            Output.raw(try WorkflowDefinition(yaml: source.text, file: source.file).mermaid)
        }
    }
}

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "calendar", abstract: "Show and check working calendars.",
                                                    subcommands: [Show.self, Check.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a year of a working calendar: days off, make-up working days, totals.")
        @Argument(help: "The year.") var year: Int
        @Option(help: "The calendar's name (workflows/calendars/NAME.yaml).") var name: String = "vn"

        func run() throws {
            guard LocalDate.years.contains(year) else { throw CLIError("\(year) is not a year from 1900 to 2999") }
            let file = try ProjectFiles.locate().calendarsDirectory + "/\(name).yaml"
            let cal = try WorkingCalendar(yaml: try readText(file), file: file)
            let (off, working) = cal.exceptions(in: year)
            Output.line("\(cal.title) — \(year)\(cal.listedYears.contains(year) ? "" : " (not listed: weekends and fixed-date holidays only)")")
            Output.line("Days off on weekdays:")
            for (d, why) in off { Output.line("  \(d)  \(weekdayName(d.weekday))  \(why)") }
            Output.line("Weekend days worked:")
            if working.isEmpty { Output.line("  none") }
            for (d, why) in working { Output.line("  \(d)  \(weekdayName(d.weekday))  \(why)") }
            let first = LocalDate(year: year, month: 1, day: 1)!
            let total = cal.workingDays(after: first.adding(days: -1), through: LocalDate(year: year, month: 12, day: 31)!)
            Output.line("Working days in \(year): \(total)")
        }

        func weekdayName(_ w: Int) -> String { ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][w] }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate a calendar file.")
        @Argument(help: "The file.") var file: String

        func run() throws {
            let cal = try WorkingCalendar(yaml: try readText(file), file: file)
            Output.line("\(file): ok — calendar \(cal.name), \(cal.holidays.count) days off and \(cal.workingDays.count) make-up days in \(cal.listedYears.sorted().map(String.init).joined(separator: ", "))")
        }
    }
}

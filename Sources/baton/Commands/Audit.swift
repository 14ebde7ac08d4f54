import ArgumentParser
import BatonStore
import Foundation

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Check that the history has not been altered.",
                                                    subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every event's hash chain; exit 1 naming the first broken link.")
        @Option(help: "Only this plan (its number or id).") var plan: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let report = try await database.withStore { try await $0.verifyAudit(plan: plan) }
            if let b = report.firstBreak {
                throw CLIError("broken history: plan \(b.plan), task \(b.task.lower), event \(b.seq): \(b.problem)")
            }
            Output.line("The history holds: \(report.events) events of \(report.tasks) tasks, every link checked.")
        }
    }
}

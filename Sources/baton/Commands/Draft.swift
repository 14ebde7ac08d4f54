import ArgumentParser
import BatonCore
import BatonStore
import Foundation
import PlanFiles

extension AgencyCommand {
    /// `baton agency alias CODE [--add NAME]… [--remove NAME]…`
    struct Alias: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show, add or remove the other names plans call an agency by (for the plan drafter).")
        @Argument(help: "The agency's code.") var code: String
        @Option(help: "A name to add, e.g. \"Huyện Đoàn\" (repeatable).") var add: [String] = []
        @Option(help: "A name to remove (repeatable).") var remove: [String] = []
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let names = try await database.withStore { store in
                add.isEmpty && remove.isEmpty ? try await store.agencyAliases(code: code)
                    : try await store.setAgencyAliases(code: code, add: add, remove: remove)
            }
            Output.line(names.isEmpty ? "\(code) has no aliases." : "\(code): " + names.joined(separator: "; "))
        }
    }
}

extension PlanCommand {
    /// `baton plan draft FILE`: a plan document on stdout, the review list on stderr.
    struct Draft: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draft a plan document from a plan's text (.docx, .pdf, .txt, .md): YAML on stdout, the review list on stderr.")
        enum Format: String, ExpressibleByArgument, CaseIterable { case yaml, json }
        @Argument(help: "The plan: KEHOACH.docx, .pdf, .txt or .md.") var file: String
        @Option(help: "Match agencies against this CSV (code,name,kind,parent[,aliases]) instead of the database.") var agencies: String?
        @Option(help: "The issuing agency's code, when the text does not name it in the register's words.") var issuer: String?
        @Option(help: "yaml (the plan document) or json ({document, yaml, review}).") var format: Format = .yaml
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let text = try PlanFile.text(atPath: file)
            let register = try await Self.register(agencies, database)
            let draft = try PlanDrafter(register: register, issuer: issuer).draft(text)
            switch format {
            case .yaml: Output.raw(draft.yaml)
            case .json:
                let answer: JSONValue = .object(["document": draft.document, "yaml": .string(draft.yaml), "review": .array(draft.review.map(\.json))])
                Output.line(answer.jsonText)
            }
            Output.error("\(draft.tasks.count) tasks, \(draft.indicators.count) indicators, \(draft.review.count) to review")
            for item in draft.review { Output.error(item.summary) }
        }

        static func register(_ csv: String?, _ database: DatabaseOptions) async throws -> AgencyRegister {
            if let csv { return try AgencyRegister(csv: try readText(csv)) }
            return try await database.withStore { try await $0.agencyRegister() }
        }
    }

    /// `baton plan score`: drafts each example's seed text and compares it with its hand transcription.
    struct Score: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draft each example plan's source text and score it against its transcription (exit 1 when a target fails).")
        @Option(help: "The transcriptions: NNN-….yaml beside NNN-….agencies.csv.") var examples = "workflows/examples"
        @Option(help: "The source texts: NNN_….txt.") var seeds = "../shared/seeds"
        @Flag(help: "Also list each transcribed task with the draft task paired with it.") var verbose = false

        func run() async throws {
            let fm = FileManager.default
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: seeds, isDirectory: &isDir), isDir.boolValue else {
                Output.line("No seed texts in \(seeds): nothing to score.")
                return
            }
            let seedFiles = try fm.contentsOfDirectory(atPath: seeds).sorted()
            let plans = try fm.contentsOfDirectory(atPath: examples).filter { $0.hasSuffix(".yaml") }.sorted()
            var failed: [String] = []
            for plan in plans {
                let number = String(plan.prefix(while: \.isNumber))
                guard !number.isEmpty, let seed = seedFiles.first(where: { $0.hasPrefix(number + "_") }) else {
                    Output.line("\(plan): no seed text \(number)_… in \(seeds); skipped.")
                    continue
                }
                let stem = String(plan.dropLast(".yaml".count))
                let register = try AgencyRegister(csv: try readText("\(examples)/\(stem).agencies.csv"))
                let started = ContinuousClock.now
                let draft = try PlanDrafter(register: register).draft(try PlanFile.text(atPath: "\(seeds)/\(seed)"))
                let elapsed = ContinuousClock.now - started
                let score = try DraftScore(draft: draft.document, expected: try JSONValue.parse(yaml: try readText("\(examples)/\(plan)")),
                                           register: register)
                Output.line("== \(plan) (from \(seed); \(draft.tasks.count) tasks drafted, \(draft.review.count) to review, \(elapsed.formatted(.units(allowed: [.milliseconds]))))")
                Output.raw(score.table)
                if verbose {
                    for p in score.pairs {
                        let marks = [p.leadRight ? "lead" : "LEAD?", p.cooperatingRight ? "coop" : "COOP?", p.dueRight ? "due" : "DUE?"]
                        Output.line("  \(p.expected) ← \(p.drafted ?? "—") \(String(format: "%.2f", p.similarity)) \(marks.joined(separator: " "))")
                    }
                    Output.line("  not paired: " + score.falseAssignments.joined(separator: ", "))
                }
                Output.line("")
                if !score.meetsTargets { failed.append(number) }
            }
            if !failed.isEmpty { throw CLIError("targets not met for \(failed.joined(separator: ", "))") }
        }
    }
}

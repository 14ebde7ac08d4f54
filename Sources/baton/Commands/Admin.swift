import ArgumentParser
import BatonCore
import BatonStore
import Foundation

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the sql/ migrations (idempotent; safe to run twice at once).")
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let files = try ProjectFiles.locate()
        let applied = try await database.withStore(setUp: false) { store in
            try await Migrator(directory: files.sqlDirectory).migrate(store)
        }
        Output.line(applied.isEmpty ? "The database is up to date." : "Applied \(applied.joined(separator: ", ")).")
    }
}

struct AgencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agency", abstract: "Add, import, rename, deactivate and merge agencies.",
                                                    subcommands: [Add.self, Import.self, Rename.self, Deactivate.self, Merge.self, Alias.self])

    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give an agency a new name (the former one is kept).")
        @Argument(help: "The agency's code.") var code: String
        @Option(help: "The new full name.") var name: String
        @OptionGroup var database: DatabaseOptions
        func run() async throws {
            let a = try await database.withStore { try await $0.renameAgency(code: code, name: name) }
            Output.line("Renamed \(a.code) to \(a.name).")
        }
    }

    struct Deactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop giving an agency new work (it receives no new fan-out).")
        @Argument(help: "The agency's code.") var code: String
        @OptionGroup var database: DatabaseOptions
        func run() async throws {
            try await database.withStore { try await $0.deactivateAgency(code: code) }
            Output.line("Deactivated \(code).")
        }
    }

    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Merge an agency into another: open work, users and sub-agencies move; history stays.")
        @Argument(help: "The agency that ends.") var from: String
        @Option(help: "The agency that takes over.") var into: String
        @OptionGroup var database: DatabaseOptions
        func run() async throws {
            let r = try await database.withStore { try await $0.mergeAgency(from, into: into) }
            Output.line("Merged \(from) into \(into): \(r.tasksLed) tasks led, \(r.cooperating) cooperating parts, \(r.users) users, \(r.children) sub-agencies, \(r.plans) plans moved; \(r.superseded) duplicate fan-out tasks cancelled.")
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an agency.")
        @Argument(help: "The agency's code, e.g. CA-CTA.") var code: String
        @Option(help: "The full name, e.g. \"Công an huyện Châu Thành A\".") var name: String
        @Option(help: "The kind, e.g. police, school.") var kind: String
        @Option(help: "The parent agency's code.") var parent: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let (a, twin) = try await database.withStore { store in
                let twin = try await store.sameNamedAgency(name: name, parent: parent)
                return (try await store.addAgency(code: code, name: name, kind: kind, parent: parent), twin)
            }
            if let twin { Output.error("warning: \(twin) has the same name under the same parent; is \(a.code) a second copy of it?") }
            Output.line("Added \(a.code) (\(a.name)), \(a.kind)\(a.parent.map { ", under \($0)" } ?? "").")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create agencies from CSV: code,name,kind,parent[,aliases] (aliases separated by ;).")
        @Argument(help: "The CSV file (UTF-8).") var file: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let text = try readText(file)
            let r = try await database.withStore { try await $0.importAgencies(csv: text) }
            Output.line("Imported \(file): \(r.created) created, \(r.unchanged) already present.")
        }
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Add users and set their passwords.", subcommands: [Add.self, Passwd.self])

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password for the pages, read from standard input (ends their sessions).")
        @Argument(help: "The login.") var login: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let password = try readPassword()
            try await database.withStore { try await $0.setPassword(login: login, password: password) }
            Output.line("Set the password of \(login).")
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user at an agency with roles.")
        @Argument(help: "The login.") var login: String
        @Option(help: "The user's agency code (an admin may have none).") var agency: String?
        @Option(help: "admin, committee, coordinator, officer, viewer; several separated by commas.") var role: String
        @Flag(help: "Read a password for the pages from standard input.") var passwordStdin = false
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let roles = role.split(separator: ",").map(String.init)
            let password = passwordStdin ? try readPassword() : nil
            let u = try await database.withStore { store in
                let u = try await store.addUser(login: login, agency: agency, roles: roles)
                if let password { try await store.setPassword(login: u.login, password: password) }
                return u
            }
            Output.line("Added \(u.login)\(u.agency.map { " at \($0)" } ?? "") as \(u.roles.joined(separator: ", ")).")
        }
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Issue and revoke bearer tokens.",
                                                    subcommands: [Issue.self, Revoke.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a new bearer token for a user, and nothing else.")
        @Argument(help: "The user's login.") var login: String
        @Option(help: ArgumentHelp("How long the token works: 90d, 12h, 2w (days, hours, weeks); for ever if not given.", valueName: "TIME"))
        var expires: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            var seconds: Int?
            if let expires {
                guard let m = expires.wholeMatch(of: /([1-9][0-9]{0,4})([hdw])/), let n = Int(m.1) else {
                    throw CLIError("--expires: '\(expires.prefix(20))' is not a time such as 90d, 12h or 2w")
                }
                seconds = n * (m.2 == "h" ? 3600 : m.2 == "d" ? 86400 : 7 * 86400)
            }
            let lifetime = seconds
            Output.line(try await database.withStore { try await $0.issueToken(login: login, expiresIn: lifetime) })
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke the token that starts with this prefix (8 characters or more).")
        @Argument(help: "A unique prefix of the token.") var prefix: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let login = try await database.withStore { try await $0.revokeToken(prefix: prefix) }
            Output.line("Revoked a token of \(login).")
        }
    }
}

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "List, draft, score and import plan documents.",
                                                    subcommands: [List.self, Import.self, Draft.self, Score.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every plan: number, title, issuer, progress.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let plans = try await database.withStore { try await $0.allPlans() }
            Output.raw(Output.table(["number", "title", "issuer", "closed", "tasks", "overdue", "id"], plans.map {
                [$0.number, String($0.title.prefix(60)), $0.issuer, String($0.progress.closed), String($0.progress.tasks), String($0.progress.overdue), $0.id.lower]
            }))
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import a plan document (YAML or JSON) with its tasks.")
        @Argument(help: "The plan document.") var file: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let document = try PlanDocument(json: try parseDocument(file))
            let (plan, tasks) = try await database.withStore { try await $0.createPlan(document, by: nil) }
            Output.line("Imported plan \(plan.number) (\(plan.id.lower)): \(tasks) tasks.")
        }
    }
}

struct BoardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "board", abstract: "The pending-by-agency board.")
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }
    @Option(help: "Only this plan (its id or number).") var plan: String?
    @Option(help: "Only agencies of this kind.") var kind: String?
    @Option(help: "Only agencies under this one.") var under: String?
    @Option(help: "table, json or csv.") var format: Format = .table
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let board = try await database.withStore { store in
            var planID: UUID?
            if let plan { planID = try await store.planID(plan) }
            return try await store.board(BoardFilter(plan: planID, kind: kind, under: under), for: nil)
        }
        switch format {
        case .json:
            Output.line(String(decoding: JSONWriter.bytes(board), as: UTF8.self))
        case .csv:
            Output.raw(board.csv)
        case .table:
            Output.line("As of \(board.asOf.text)")
            Output.raw(Output.table(Board.Row.columns, board.rows.map(\.fields)))
        }
    }
}

struct ClockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clock", abstract: "Show, fix or shift the database's clock (for tests and demonstrations).",
        subcommands: [Show.self, Set.self, Reset.self], defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the clock deadlines are judged by.")
        @OptionGroup var database: DatabaseOptions
        func run() async throws {
            let now = try await database.withStore { try await $0.now() }
            Output.line(RFC3339.format(now, in: TimeZone.named(PlanDocument.defaultTimeZone)))
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fix the clock at a time (RFC 3339), or shift it (--offset).")
        @Argument(help: "A time such as 2026-06-02T08:00:00+07:00.") var time: String?
        @Option(help: "Shift the real clock instead, e.g. '3 days' or '-2 hours' (a PostgreSQL interval).") var offset: String?
        @OptionGroup var database: DatabaseOptions
        func run() async throws {
            if let time {
                guard let at = RFC3339.parse(time) else { throw CLIError("'\(time)' is not an RFC 3339 time with an offset") }
                try await database.withStore { try await $0.setClock(fixedAt: at, offset: nil) }
            } else if let offset {
                try await database.withStore { try await $0.setClock(fixedAt: nil, offset: offset) }
            } else {
                throw CLIError("give a time or --offset")
            }
            Output.line("The clock is set.")
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Back to the real clock.")
        @OptionGroup var database: DatabaseOptions
        func run() async throws {
            try await database.withStore { try await $0.setClock(fixedAt: nil, offset: nil) }
            Output.line("The clock is real again.")
        }
    }
}

/// A file's text, or a clear error.
func readText(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)") }
    guard let text = String(data: data, encoding: .utf8) else { throw CLIError("\(path) is not UTF-8 text") }
    return text
}

/// A plan document from a YAML or JSON file.
func parseDocument(_ path: String) throws -> JSONValue {
    let text = try readText(path)
    if path.lowercased().hasSuffix(".json") { return try JSONValue.parse(json: Data(text.utf8)) }
    return try JSONValue.parse(yaml: text)
}

/// A password from standard input: its first line, checked by the store's rule before anything is written.
func readPassword() throws -> String {
    guard let line = Swift.readLine(strippingNewline: true), !line.isEmpty else { throw CLIError("no password on standard input") }
    try BatonStore.checkPassword(line)
    return line
}

import ArgumentParser
import BatonCore
import BatonStore
import BatonWorkers
import Foundation
import Logging
import ServiceLifecycle

struct TimersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "timers", abstract: "Fire due timers: reminders, overdue marks, escalations, recurring reports.",
                                                    subcommands: [Run.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sweep once (--once) or every few seconds until stopped.")
        @Flag(help: "One sweep, then exit.") var once = false
        @Option(help: "Seconds between sweeps.") var interval = 5
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await database.withStore { store in
                if once {
                    let start = ContinuousClock.now
                    let r = try await store.sweep(wait: true)
                    let took = ContinuousClock.now - start
                    let kinds = r.fired.keys.sorted().map { "\($0) \(r.fired[$0]!)" }.joined(separator: ", ")
                    Output.line(r.skipped ? "Another process is sweeping; nothing done."
                                : "Fired \(r.fired.values.reduce(0, +)) timers\(kinds.isEmpty ? "" : " (\(kinds))"), opened \(r.opened) occurrences in \(took.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow))).")
                } else {
                    let logger = Logger(label: "baton.timers")
                    let group = ServiceGroup(configuration: .init(services: [TimerService(store: store, interval: .seconds(max(1, interval)), logger: logger)],
                                                                  gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
                    try await group.run()
                }
            }
        }
    }
}

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Closed on time, closed late, open within term, open overdue, per agency.")
    @Option(help: "The period: a year (2026), a half (2026-H1), a quarter (2026-Q3) or a month (2026-06); or --from and --to.") var period: String?
    @Option(help: "First day of the period (YYYY-MM-DD).") var from: String?
    @Option(help: "Last day of the period (YYYY-MM-DD).") var to: String?
    @Option(help: "Only this plan (its id).") var plan: String?
    @Option(help: "Only agencies under this one.") var under: String?
    @Option(help: "table, json or csv.") var format: BoardCommand.Format = .table
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        func day(_ text: String?, _ option: String) throws -> LocalDate? {
            guard let text else { return nil }
            guard let d = LocalDate(text) else { throw CLIError("--\(option): '\(text)' is not a date (YYYY-MM-DD)") }
            return d
        }
        let period = try ReportPeriod(period: period, from: try day(from, "from"), to: try day(to, "to"))
        let planID = try plan.map(parsePlanID)
        let stats = try await database.withStore { try await $0.stats(period: period, plan: planID, under: under, for: nil) }
        switch format {
        case .json: Output.line(String(decoding: JSONWriter.bytes(stats), as: UTF8.self))
        case .csv: Output.raw(stats.csv)
        case .table:
            Output.line("Tasks due \(stats.period.from) – \(stats.period.to)\(stats.period.name.map { " (\($0))" } ?? ""), as of \(stats.asOf.text)")
            Output.raw(Output.table(Stats.Row.columns, stats.rows.map(\.fields)))
        }
    }
}

struct WebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "webhook", abstract: "Agencies' webhooks for their notifications.",
                                                    subcommands: [Set.self, List.self, Remove.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send an agency's notifications to URL; prints the signing secret.")
        @Argument(help: "The agency's code.") var agency: String
        @Argument(help: "An http(s) URL.") var url: String
        @Option(help: "The HMAC-SHA256 secret (generated when omitted).") var secret: String?
        @OptionGroup var database: DatabaseOptions
        func run() async throws {
            Output.line(try await database.withStore { try await $0.setWebhook(agency: agency, url: url, secret: secret) })
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every webhook.")
        @OptionGroup var database: DatabaseOptions
        func run() async throws {
            let hooks = try await database.withStore { try await $0.webhooks() }
            Output.raw(Output.table(["agency", "url", "active"], hooks.map { [$0.agency, $0.url, $0.active ? "yes" : "no"] }))
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop an agency's webhook (its undelivered notifications are dead-lettered).")
        @Argument(help: "The agency's code.") var agency: String
        @OptionGroup var database: DatabaseOptions
        func run() async throws {
            try await database.withStore { try await $0.removeWebhook(agency: agency) }
            Output.line("Removed the webhook of \(agency).")
        }
    }
}

struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "outbox", abstract: "Webhook deliveries: list, retry, deliver.",
                                                    subcommands: [List.self, Retry.self, Deliver.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deliveries, newest first.")
        @Option(help: "pending, delivered or dead.") var state: String?
        @Option(help: "How many.") var limit = 50
        @OptionGroup var database: DatabaseOptions
        func run() async throws {
            if let state, !["pending", "delivered", "dead"].contains(state) { throw CLIError("--state must be pending, delivered or dead") }
            let rows = try await database.withStore { try await $0.deliveries(state: state, limit: max(1, min(limit, 10_000))) }
            let zone = TimeZone.named(PlanDocument.defaultTimeZone)
            Output.raw(Output.table(["id", "notification", "agency", "kind", "state", "attempts", "next_attempt_at", "last_error"], rows.map {
                [String($0.id), String($0.notificationID), $0.agency, $0.kind, $0.state, String($0.attempts),
                 RFC3339.format($0.nextAttemptAt, in: zone), $0.lastError ?? ""]
            }))
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue deliveries again: these ids, or every dead one (--dead).")
        @Argument(help: "Delivery ids.") var ids: [Int64] = []
        @Flag(help: "Every dead-lettered delivery.") var dead = false
        @OptionGroup var database: DatabaseOptions
        func run() async throws {
            guard dead || !ids.isEmpty else { throw CLIError("give delivery ids, or --dead") }
            let n = try await database.withStore { try await $0.retryDeliveries(ids: ids, allDead: dead) }
            Output.line("Queued \(n) deliveries again.")
        }
    }

    struct Deliver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Post the deliveries that are due now, once (baton serve does this continuously).")
        @OptionGroup var database: DatabaseOptions
        func run() async throws {
            let n = try await database.withStore { store in
                try await DeliveryService(store: store, logger: Logger(label: "baton.deliveries")).deliverDue()
            }
            Output.line("Tried \(n) deliveries.")
        }
    }
}

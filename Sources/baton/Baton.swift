import ArgumentParser
import BatonCore
import Foundation
import Glibc
import NIOCore
import NIOPosix
import EmbeddedPostgres

/// `baton`: the server and the admin CLI.
@main
struct Baton: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baton",
        abstract: "Multi-agency coordination: plans, tasks, deadlines and the pending-by-agency board.",
        subcommands: [Dev.self, Serve.self, Migrate.self, AuditCommand.self, WorkflowCommand.self, CalendarCommand.self, AgencyCommand.self,
                      UserCommand.self, TokenCommand.self, PlanCommand.self, BoardCommand.self, StatsCommand.self, TimersCommand.self,
                      WebhookCommand.self, OutboxCommand.self, ClockCommand.self])

    /// Exit codes of API.md: 0 success, 1 a user error (one line on stderr), 2 a usage error.
    static func main() async {
        // Two malloc arenas, not glibc's eight per core: the server's threads (event loops, pool, pipeline)
        // each kept a large answer's freed memory in an arena of its own. Under make bench-scale's reads the
        // server stayed at 341 MB resident with the default and 137 MB with two, at the same speed.
        // MALLOC_ARENA_MAX in the environment still decides.
        if ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil { _ = glibcMallopt(mallocArenaMax, 2) }
        // Run Swift concurrency on NIO's event loops: no hop between the HTTP server and handlers.
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        do {
            var command = try parseAsRoot()
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch {
            Glibc.exit(Self.report(error))
        }
    }

    static func report(_ error: any Error) -> Int32 {
        switch error {
        case let e as BatonError: Output.fail(e.debugDescription)
        case let e as LocalClusterError: Output.fail(e.description)
        case let e as WorkflowDefinitionError: Output.fail(e.description)
        case let e as CLIError: Output.fail(e.message)
        default:
            let code = exitCode(for: error)
            if code == .success {
                Output.line(fullMessage(for: error))
                return 0
            }
            if error is ExitCode { return code.rawValue }
            // ArgumentParser's own parse and validation errors are usage errors; anything else failed at work.
            if code == .validationFailure {
                Output.error(fullMessage(for: error))
                return 2
            }
            Output.fail(String(describing: error))
        }
        return 1
    }
}

/// A user error raised by the CLI itself.
struct CLIError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Writing to the terminal: results on stdout, one-line errors on stderr.
enum Output {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func raw(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// One line naming what was wrong.
    static func fail(_ text: String) {
        let one = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        error("baton: \(one)")
    }

    /// A plain table with aligned columns.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        var widths = header.map(\.count)
        for r in all { for (i, f) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], f.count) } }
        return all.map { r in
            r.enumerated().map { i, f in i == r.count - 1 ? f : f.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}

/// glibc's `mallopt` and `M_ARENA_MAX` from <malloc.h>, which Swift's Glibc module does not bring.
@_silgen_name("mallopt") private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
private let mallocArenaMax: Int32 = -8

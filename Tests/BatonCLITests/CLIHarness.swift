import BatonTestSupport
import EmbeddedPostgres
import Foundation
import Postgres

/// Runs the built `baton` executable, as a user would.
struct CLI {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    let databaseURL: String

    /// The `baton` binary beside the test bundle (`swift build` puts both in the same directory).
    static let binary: String = {
        if let b = ProcessInfo.processInfo.environment["BATON_BIN"] { return b }
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
        return dir + "/baton"
    }()

    /// A CLI on a fresh, migrated test database.
    static func fresh() async throws -> CLI {
        let configuration = try await TestCluster.freshDatabase()
        return CLI(databaseURL: configuration.connectionString)
    }

    @discardableResult
    func run(_ args: String..., input: String? = nil, environment: [String: String] = [:]) throws -> Subprocess.Result {
        try Self.exec(args + ["--database-url", databaseURL], input: input, environment: environment)
    }

    static func exec(_ args: [String], input: String? = nil, environment: [String: String] = [:],
                     directory: String = TestCluster.repositoryRoot, executable: String = CLI.binary) throws -> Subprocess.Result {
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("PG") || key == "DATABASE_URL" { env[key] = nil }
        env["BATON_HOME"] = TestCluster.repositoryRoot
        for (k, v) in environment { env[k] = v }
        return try Subprocess.run(executable, args, environment: env, directory: directory, input: input)
    }
}

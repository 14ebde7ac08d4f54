import ArgumentParser
import BatonCore
import BatonHTTP
import BatonStore
import BatonWorkers
import EmbeddedPostgres
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// How much one client may ask (`ServiceLimits`), as options of `baton serve` and `baton dev`.
struct LimitOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Requests per second per bearer token or session, in bursts of four times as many; 0 for no limit.", valueName: "N"))
    var rateLimit: Double = 50
    @Option(help: ArgumentHelp("Requests per second per client address (other than loopback); 0 for no limit.", valueName: "N"))
    var addressLimit: Double = 200
    @Option(help: ArgumentHelp("Seconds before an idle or stalled connection is closed.", valueName: "S"))
    var idleTimeout: Int64 = 30
    @Option(help: ArgumentHelp("Connections served at once.", valueName: "N"))
    var maxConnections = 2_048
    @Option(name: .customLong("trusted-proxy"), help: ArgumentHelp("A proxy in front (its address, repeatable) whose X-Forwarded-For names the client for the limits per address.", valueName: "ADDRESS"))
    var trustedProxies: [String] = []

    func validate() throws {
        if let bad = trustedProxies.first(where: { !ClientAddress.isAddress($0) }) {
            throw ValidationError("--trusted-proxy '\(bad)' is not an IPv4 or IPv6 address")
        }
    }

    var limits: ServiceLimits {
        var l = ServiceLimits()
        (l.perToken, l.tokenBurst) = rateLimit > 0 ? (rateLimit, rateLimit * 4) : (.infinity, .infinity)
        (l.perAddress, l.addressBurst) = addressLimit > 0 ? (addressLimit, addressLimit * 5) : (.infinity, .infinity)
        l.idleSeconds = max(1, idleTimeout)
        l.maxConnections = max(1, maxConnections)
        l.trustedProxies = Set(trustedProxies)
        return l
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve HTTP against an existing, migrated database.")
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port.") var port = 8080
    @Flag(help: "Serve only: no timer sweep, no webhook deliveries (run them in another baton serve).") var noWorkers = false
    @Option(help: ArgumentHelp("A streaming standby of the database to read the board, statistics and lists on (libpq URI).", valueName: "URL"))
    var readDatabaseURL: String?
    @OptionGroup var limitOptions: LimitOptions
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        BatonMetrics.bootstrap()
        let logger = serverLogger()
        let files = try ProjectFiles.locate()
        try await database.withStore(defaultPoolSize: BatonStore.defaultPoolSize, readURL: readDatabaseURL, logger: logger) { store in
            let pending = try await Migrator(directory: files.sqlDirectory).pending(store)
            guard pending.isEmpty else { throw CLIError("the database needs migrations (\(pending.joined(separator: ", "))): run baton migrate") }
            if try await store.mayRewriteHistory() {
                logger.warning("connected as a role that can rewrite the history (the tables' owner or a superuser): connect as a member of \(BatonStore.appRole) (README, Operations)")
            }
            let key = try database.secretKey(create: false)
            try await sealSecrets(store, key, logger)
            let app = buildApplication(store: store, host: host, port: port, logger: logger, services: noWorkers ? [] : workers(store, logger, key: key),
                                       limits: limitOptions.limits) { port in
                Output.line("Baton serves http://\(host):\(port)")
            }
            try await app.runService()
        }
    }
}

struct Dev: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a private PostgreSQL in --data, migrate, load workflows and the demo plan, and serve HTTP.")
    @Option(help: "The port.") var port = 8080
    @Option(help: "The directory for the private cluster.") var data = ".baton"
    @Flag(help: "Do not load the demo plans.") var noDemo = false
    @Flag(help: "No timer sweep, no webhook deliveries (benchmarks, or when another process runs them).") var noWorkers = false
    @Option(help: ArgumentHelp("Connections in the pool.", valueName: "N")) var poolSize: Int?
    @OptionGroup var limitOptions: LimitOptions

    func run() async throws {
        BatonMetrics.bootstrap()
        let logger = serverLogger()
        let files = try ProjectFiles.locate()
        let cluster = try LocalCluster(directory: data)
        let lock = try DevLock(directory: cluster.directory)
        defer { lock.release() }
        Output.line("Starting PostgreSQL in \(cluster.directory)…")
        try cluster.start()
        try cluster.watch()
        let owner = BatonStore(url: try await PrivateDatabase.prepare(cluster), poolSize: 1, logger: logger)
        do { try await PrivateDatabase.setUp(owner) } catch { await owner.shutdown(); try? cluster.stop(); throw error }
        await owner.shutdown()
        // The server connects as the application's role, as in production: it cannot rewrite the history.
        try await BatonStore.letAppRoleSignIn(serverURL: cluster.connectionURI())
        let store = BatonStore(url: cluster.connectionURI(role: BatonStore.appRole), poolSize: poolSize ?? BatonStore.defaultPoolSize, logger: logger)
        do {
            let people = try await DevUsers.prepare(store, demo: !noDemo, files: files, credentials: cluster.directory + "/demo-logins")
            let key = try SecretKey.load(defaultFile: cluster.directory + "/secret.key", create: true)
            try await sealSecrets(store, key, logger)
            let uri = cluster.connectionURI()
            let app = buildApplication(store: store, host: "127.0.0.1", port: port, logger: logger,
                                       services: noWorkers ? [] : workers(store, logger, key: key), limits: limitOptions.limits) { bound in
                var text = "Baton is running.\n  URL:      http://127.0.0.1:\(bound)  (sign in with a login and password below)\n  Database: \(uri)\n"
                text += "  People (the same at every start; kept in \(cluster.directory)/demo-logins):\n"
                text += "    login      password           API token (Authorization: Bearer TOKEN)     who\n"
                for p in people {
                    text += "    \(p.login.padding(toLength: 10, withPad: " ", startingAt: 0)) \(p.password.padding(toLength: 18, withPad: " ", startingAt: 0)) \(p.token)  \(p.what)\n"
                }
                text += "Press Ctrl-C to stop Baton and PostgreSQL.\n"
                Output.raw(text)
            }
            try await app.runService()
        } catch {
            await store.shutdown()
            try? cluster.stop()
            throw error
        }
        await store.shutdown()
        Output.line("Stopping PostgreSQL…")
        try cluster.stop()
    }
}

/// The server's log: one line per request at `info`, or what `LOG_LEVEL` says.
func serverLogger() -> Logger {
    var logger = Logger(label: "baton")
    logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
    return logger
}

/// What runs beside the HTTP server: the timer sweep and webhook deliveries.
func workers(_ store: BatonStore, _ logger: Logger, key: SecretKey?) -> [any Service] {
    if key == nil { logger.notice("no BATON_SECRET_KEY: webhooks whose secrets are sealed cannot be signed") }
    return [TimerService(store: store, logger: logger), DeliveryService(store: store, key: key, logger: logger)]
}

/// Seals any webhook secret still in clear with `key` (written before sealing existed).
func sealSecrets(_ store: BatonStore, _ key: SecretKey?, _ logger: Logger) async throws {
    guard let key else { return }
    let sealed = try await store.sealWebhookSecrets(key: key)
    if sealed > 0 { logger.notice("sealed \(sealed) webhook secrets kept in clear") }
}

/// Only one `baton dev` per data directory.
struct DevLock {
    let fd: Int32

    init(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        fd = open(directory + "/dev.lock", O_CREAT | O_RDWR, 0o644)
        guard fd >= 0 else { throw CLIError("cannot create \(directory)/dev.lock: \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw CLIError("another baton dev is already using \(directory); stop it first or choose --data")
        }
    }

    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

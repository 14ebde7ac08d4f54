import Foundation

/// A private PostgreSQL cluster in a directory of ours, driven by `initdb` and `pg_ctl`.
///
/// Layout inside `directory`: `pgdata/` (the cluster), `run/` (its Unix socket; the server
/// listens on no TCP port), `log/postgres.log`. PostgreSQL refuses to run as root, so when we
/// are root the cluster belongs to, and runs as, an unprivileged OS user (`postgres`).
public struct LocalCluster: Sendable {
    /// The directory holding everything (e.g. `./.baton`), absolute.
    public let directory: String
    /// Where `initdb`, `pg_ctl` and `postgres` live.
    public let binDirectory: String
    /// The OS user the server runs as when we are root; nil when we run it as ourselves.
    public let serverUser: String?
    /// Extra `postgresql.conf` settings, written on every start.
    public var settings: [String: String]
    /// The database role and the database name Baton uses.
    public let role = "baton"

    /// Prepares (but does not create or start) a cluster in `directory`.
    public init(directory: String, settings: [String: String] = [:], serverUser: String = "postgres") throws {
        self.directory = URL(fileURLWithPath: directory).standardizedFileURL.path
        self.binDirectory = try Self.findBinaries()
        self.serverUser = getuid() == 0 ? serverUser : nil
        self.settings = settings
    }

    var dataDirectory: String { directory + "/pgdata" }
    var logFile: String { directory + "/log/postgres.log" }

    /// The Unix socket directory: inside `directory` unless that path is too long for a socket.
    public var socketDirectory: String {
        let preferred = directory + "/run"
        if (preferred + "/.s.PGSQL.5432").utf8.count < 100 { return preferred }
        var hash: UInt64 = 14695981039346656037
        for b in directory.utf8 { hash = (hash ^ UInt64(b)) &* 1099511628211 }
        return "/tmp/baton-\(getuid())-\(String(hash, radix: 16).prefix(10))"
    }

    /// A libpq URI for `database` on this cluster, as `role` (the cluster's superuser unless given).
    public func connectionURI(database: String = "baton", role: String? = nil) -> String {
        let host = socketDirectory.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? socketDirectory
        return "postgresql://\(role ?? self.role)@/\(database)?host=\(host)"
    }

    /// True once `initdb` has run here.
    public var isInitialized: Bool {
        FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION")
    }

    /// True while a server answers for this data directory.
    public var isRunning: Bool {
        (try? run(binDirectory + "/pg_ctl", ["-D", dataDirectory, "status"], asServerUser: true).status) == 0
    }

    /// Creates the cluster if needed, then starts it unless it already runs.
    /// - Parameter fast: skip fsync in initdb (throwaway clusters).
    /// - Returns: true when this call started the server.
    @discardableResult
    public func start(fast: Bool = false) throws -> Bool {
        try prepareDirectories()
        if !isInitialized {
            let result = try run(binDirectory + "/initdb", [
                "-D", dataDirectory, "-U", role, "-E", "UTF8", "--locale=C.UTF-8", "--auth=trust",
            ] + (fast ? ["--no-sync"] : []), asServerUser: true)
            guard result.status == 0 else {
                throw LocalClusterError("initdb failed in \(dataDirectory): \(result.output.lastLines(5))")
            }
            try appendInclude()
        }
        try writeSettings()
        if isRunning { return false }
        // A stale postmaster.pid from a killed server is handled by pg_ctl itself.
        let result = try run(binDirectory + "/pg_ctl", [
            "-D", dataDirectory, "-l", logFile, "-w", "-t", "60", "-s", "start",
        ], asServerUser: true)
        guard result.status == 0 else {
            let log = (try? String(contentsOfFile: logFile, encoding: .utf8))?.lastLines(8) ?? ""
            throw LocalClusterError("PostgreSQL did not start (\(result.output.lastLines(3))); its log says: \(log)")
        }
        return true
    }

    /// Stops the server (fast shutdown: active sessions are ended, data is safe).
    public func stop() throws {
        guard isInitialized else { return }
        let result = try run(binDirectory + "/pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "-s", "stop"], asServerUser: true)
        if result.status != 0 && isRunning {
            throw LocalClusterError("pg_ctl stop failed: \(result.output.lastLines(3))")
        }
    }

    /// The postmaster's process id, from `postmaster.pid`.
    public var postmasterPID: Int32? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
              let first = text.split(separator: "\n").first else { return nil }
        return Int32(first.trimmingCharacters(in: .whitespaces))
    }

    /// Starts a detached watchdog that stops this cluster's postmaster when process `owner` is gone,
    /// even if the owner was killed with SIGKILL, so no stray postmaster outlives us.
    public func watch(owner: Int32 = getpid(), removeDirectoryAfter: Bool = false) throws {
        guard let pm = postmasterPID else { return }
        var script = """
            exec </dev/null >/dev/null 2>&1
            while kill -0 "$0" 2>/dev/null; do sleep 1; done
            if [ "$(head -n1 "$1" 2>/dev/null)" = "$2" ]; then
              kill -INT "$2" 2>/dev/null
              i=0; while kill -0 "$2" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
            fi
            """
        if removeDirectoryAfter { script += "\nrm -rf \"$3\" \"$4\"" }
        let result = try Subprocess.run("/usr/bin/setsid", ["-f", "/bin/sh", "-c", script, String(owner), dataDirectory + "/postmaster.pid",
                                                            String(pm), directory, socketDirectory], environment: ProcessInfo.processInfo.environment)
        guard result.status == 0 else { throw LocalClusterError("cannot start the cluster's watchdog: \(result.output.lastLines(2))") }
    }

    // MARK: - Setup

    private func prepareDirectories() throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (path, mode) in [(dataDirectory, 0o700), (socketDirectory, 0o700), (directory + "/log", 0o700)] {
            if !fm.fileExists(atPath: path) {
                try fm.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: mode])
            }
            if let user = serverUser {
                guard let pw = getpwnam(user) else {
                    throw LocalClusterError("running as root, PostgreSQL needs an unprivileged OS user '\(user)', and there is none; create it (apt install postgresql does) or run as another user")
                }
                guard chown(path, pw.pointee.pw_uid, pw.pointee.pw_gid) == 0 else {
                    throw LocalClusterError("cannot give \(path) to the '\(user)' user: \(String(cString: strerror(errno)))")
                }
            }
        }
        try checkReachable()
    }

    /// When the server runs as another user, every directory above the data must let it through.
    private func checkReachable() throws {
        guard let user = serverUser else { return }
        let ok = try run("/usr/bin/test", ["-w", dataDirectory, "-a", "-w", socketDirectory], asServerUser: true)
        guard ok.status != 0 else { return }
        var path = URL(fileURLWithPath: dataDirectory)
        var blocking = dataDirectory
        while path.path != "/" {
            path.deleteLastPathComponent()
            if (try? run("/usr/bin/test", ["-x", path.path], asServerUser: true).status) != 0 { blocking = path.path }
        }
        throw LocalClusterError("PostgreSQL runs as the '\(user)' user (it refuses root), and that user cannot reach \(dataDirectory): \(blocking) does not let it through. Choose --data in a directory it can reach (e.g. under /var/tmp), or allow it with: chmod o+x \(blocking)")
    }

    private func appendInclude() throws {
        let conf = dataDirectory + "/postgresql.conf"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: conf))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\n# Written by baton: settings for this private cluster.\ninclude_if_exists = 'baton.conf'\n".utf8))
    }

    private func writeSettings() throws {
        var all: [String: String] = [
            "listen_addresses": "''",
            "unix_socket_directories": quoted(socketDirectory),
            "max_connections": "200",
            "timezone": "'UTC'",
            "log_timezone": "'UTC'",
        ]
        for (k, v) in settings { all[k] = v }
        let text = all.keys.sorted().map { "\($0) = \(all[$0]!)" }.joined(separator: "\n") + "\n"
        let path = dataDirectory + "/baton.conf"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        if let user = serverUser, let pw = getpwnam(user) {
            _ = chown(path, pw.pointee.pw_uid, pw.pointee.pw_gid)
        }
    }

    private func quoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    }

    // MARK: - Processes

    /// Runs a program, as the server user when we are root and `asServerUser` is set.
    func run(_ program: String, _ arguments: [String], asServerUser: Bool) throws -> Subprocess.Result {
        var env = ProcessInfo.processInfo.environment
        env["LC_ALL"] = "C.UTF-8"
        for key in env.keys where key.hasPrefix("PG") { env[key] = nil }
        // The server user may not be able to read our working directory: run from /.
        if asServerUser, let user = serverUser {
            return try Subprocess.run("/usr/sbin/runuser", ["-u", user, "--", program] + arguments, environment: env)
        }
        return try Subprocess.run(program, arguments, environment: env)
    }

    /// `initdb` and `pg_ctl`: on PATH, else the newest `/usr/lib/postgresql/*/bin`.
    static func findBinaries() throws -> String {
        let fm = FileManager.default
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        where fm.isExecutableFile(atPath: dir + "/initdb") && fm.isExecutableFile(atPath: dir + "/pg_ctl") {
            return dir
        }
        let root = "/usr/lib/postgresql"
        let versions = ((try? fm.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap { Int($0) }.sorted(by: >)
        for v in versions where fm.isExecutableFile(atPath: "\(root)/\(v)/bin/initdb") {
            return "\(root)/\(v)/bin"
        }
        throw LocalClusterError("PostgreSQL's initdb and pg_ctl were not found on PATH or in /usr/lib/postgresql/*/bin; install PostgreSQL 15 or newer (make run does: apt-get install postgresql)")
    }
}

/// A problem starting or stopping the private cluster, worded for the person at the terminal.
public struct LocalClusterError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension String {
    func lastLines(_ n: Int) -> String {
        split(separator: "\n").suffix(n).joined(separator: " | ")
    }
}

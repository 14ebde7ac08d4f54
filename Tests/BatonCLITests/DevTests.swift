import BatonTestSupport
import EmbeddedPostgres
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `baton dev` as a new user runs it: a private cluster in --data, the server, Ctrl-C, again.
@Suite struct DevTests {
    @Test func startServeStopAndRestartWithTheSameData() async throws {
        let dir = "/tmp/baton-dev-test-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var firstAdmin: [String]?
        for round in 1...2 {
            let port = try freePort()
            // In the background, watched: if this test process dies, baton dev is stopped too.
            let script = """
                "$0" dev --no-demo --data "$1" --port "$2" > "$1.log" 2>&1 &
                pid=$!; parent=$PPID
                ( exec </dev/null >/dev/null 2>&1; while kill -0 "$parent" && kill -0 "$pid"; do sleep 1; done; kill -TERM "$pid" ) &
                echo $pid
                """
            let started = try CLI.exec(["-c", script, CLI.binary, dir + "/db", String(port)], executable: "/bin/sh")
            let pid = pid_t(started.stdout.trimmingCharacters(in: .whitespacesAndNewlines))!
            // Whatever happens below, baton dev does not outlive the test (its watchdog then stops PostgreSQL).
            defer { if kill(pid, 0) == 0 { kill(pid, SIGKILL) } }
            var ready = false
            for _ in 0..<240 where !ready {
                ready = (try? await status("http://127.0.0.1:\(port)/readyz")) == 200
                if !ready { try await Task.sleep(for: .milliseconds(250)) }
            }
            let log = (try? String(contentsOfFile: dir + "/db.log", encoding: .utf8)) ?? ""
            #expect(ready, "round \(round): \(log)")
            #expect(log.contains("http://127.0.0.1:\(port)") && log.contains("postgresql://baton@/baton?host="))
            // The admin's line: login, password, token (40 characters); the same at every start.
            let adminLine = log.split(separator: "\n").first { $0.hasPrefix("    admin ") }.map { $0.split(separator: " ").map(String.init) }
            let admin = adminLine?.first { $0.count == 40 }
            if round == 1 { firstAdmin = adminLine } else { #expect(adminLine == firstAdmin, "logins, passwords and tokens stay the same across restarts") }
            #expect(try await status("http://127.0.0.1:\(port)/v1/me", token: admin) == 200)
            kill(pid, SIGTERM)
            var exited = false
            for _ in 0..<120 where !exited {
                exited = kill(pid, 0) != 0
                if !exited { try await Task.sleep(for: .milliseconds(250)) }
            }
            #expect(exited)
            let stray = try Subprocess.run("/usr/bin/pgrep", ["-f", "bin/postgres -D " + dir], environment: [:])
            #expect(stray.stdout.isEmpty, "no postmaster outlives baton dev")
        }
    }

    func freePort() throws -> Int {
        let r = try Subprocess.run("/usr/bin/env", ["python3", "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"],
                                   environment: ProcessInfo.processInfo.environment)
        return Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))!
    }

    func status(_ url: String, token: String? = nil) async throws -> Int {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 2
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}

import BatonTestSupport
import EmbeddedPostgres
import Foundation
import Testing

@Suite struct CLITests {
    static let examples = TestCluster.repositoryRoot + "/workflows/examples"

    @Test func agenciesUsersAndTokens() async throws {
        let cli = try await CLI.fresh()
        var r = try cli.run("agency", "add", "UBND-X", "--name", "Ủy ban nhân dân huyện X", "--kind", "people_committee")
        #expect(r.status == 0 && r.stdout.contains("UBND-X"))
        r = try cli.run("agency", "add", "CA-X", "--name", "Công an huyện X", "--kind", "police", "--parent", "UBND-X")
        #expect(r.status == 0)
        r = try cli.run("agency", "add", "CA-X", "--name", "Công an huyện X", "--kind", "police")
        #expect(r.status == 1 && r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("CA-X"))
        r = try cli.run("agency", "add", "Y", "--name", "Y", "--kind", "police", "--parent", "NOPE")
        #expect(r.status == 1 && r.stderr.contains("NOPE"))

        r = try cli.run("user", "add", "ca.canbo", "--agency", "CA-X", "--role", "officer,viewer")
        #expect(r.status == 0)
        r = try cli.run("user", "add", "x", "--agency", "CA-X", "--role", "chief")
        #expect(r.status == 1 && r.stderr.contains("chief"))
        r = try cli.run("user", "add", "root", "--role", "admin")
        #expect(r.status == 0, "an admin needs no agency")

        let token = try cli.run("token", "issue", "ca.canbo")
        #expect(token.status == 0 && token.stdout.trimmingCharacters(in: .newlines).count == 40 && token.stdout.split(separator: "\n").count == 1)
        let t = token.stdout.trimmingCharacters(in: .newlines)
        #expect(try cli.run("token", "revoke", String(t.prefix(7))).status == 1, "at least 8 characters")
        #expect(try cli.run("token", "revoke", String(t.prefix(8))).status == 0)
        let again = try cli.run("token", "revoke", String(t.prefix(8)))
        #expect(again.status == 1 && again.stderr.hasPrefix("baton: "))
        #expect(try cli.run("token", "issue", "nobody").status == 1)
    }

    @Test func importAgenciesAndPlanThenBoard() async throws {
        let cli = try await CLI.fresh()
        let csv = Self.examples + "/003-xam-hai-tinh-duc-tre-em-chau-thanh-a.agencies.csv"
        var r = try cli.run("agency", "import", csv)
        #expect(r.status == 0 && r.stdout.contains("created"), "\(r.stderr)")
        r = try cli.run("agency", "import", csv)
        #expect(r.status == 0 && r.stdout.contains("0 created"), "identical rows are skipped")
        r = try cli.run("plan", "import", Self.examples + "/003-xam-hai-tinh-duc-tre-em-chau-thanh-a.yaml")
        #expect(r.status == 0 && r.stdout.contains("Imported plan"), "\(r.stderr)")
        r = try cli.run("plan", "import", Self.examples + "/003-xam-hai-tinh-duc-tre-em-chau-thanh-a.yaml")
        #expect(r.status == 1 && r.stderr.contains("already exists"))

        let json = try cli.run("board", "--format", "json")
        #expect(json.status == 0 && json.stdout.contains("\"agency\":\"CA-CTA\""))
        let csvBoard = try cli.run("board", "--format", "csv")
        #expect(csvBoard.stdout.hasPrefix("\u{FEFF}agency,name,open,unacknowledged,overdue,due_soon"))
        let table = try cli.run("board")
        #expect(table.stdout.contains("Công an huyện Châu Thành A"))
        #expect(try cli.run("board", "--plan", "nope").status == 1)
        let unknown = try cli.run("board", "--plan", "01900000-0000-7000-8000-000000000000")
        #expect(unknown.status == 1 && unknown.stderr.contains("not found") && unknown.stderr.split(separator: "\n").count == 1, "\(unknown.stderr)")
        #expect(try cli.run("board", "--format", "xml").status == 2, "a usage error")
    }

    @Test func aBadAgencyFileChangesNothing() async throws {
        let cli = try await CLI.fresh()
        let dir = NSTemporaryDirectory() + "baton-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/a.csv"
        // A byte-order mark, a child before its parent, a quoted name with a comma, then a bad kind.
        try Data("\u{FEFF}code,name,kind,parent\nTHCS-A,\"Trường THCS A, huyện X\",school,GD-X\nGD-X,Phòng GDĐT,education,\nBAD,Bad,Not A Kind,\n".utf8)
            .write(to: URL(fileURLWithPath: file))
        let r = try cli.run("agency", "import", file)
        #expect(r.status == 1 && r.stderr.contains("line 4"))
        #expect(try cli.run("agency", "add", "GD-X", "--name", "x", "--kind", "education").status == 0, "nothing from the file was kept")
    }

    @Test func workflowCommands() async throws {
        let cli = try await CLI.fresh()
        let task = TestCluster.repositoryRoot + "/workflows/task.yaml"
        var r = try CLI.exec(["workflow", "validate", task])
        #expect(r.status == 0 && r.stdout.contains("ok"))
        let dir = NSTemporaryDirectory() + "baton-wf-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let broken = try String(contentsOfFile: task, encoding: .utf8).replacingOccurrences(of: "to: in_progress\n    by: [lead_officer]", with: "to: working\n    by: [lead_officer]")
        try Data(broken.utf8).write(to: URL(fileURLWithPath: dir + "/task.yaml"))
        r = try CLI.exec(["workflow", "validate", dir + "/task.yaml"])
        #expect(r.status == 1 && r.stderr.contains("task.yaml:") && r.stderr.contains("working"))
        r = try CLI.exec(["workflow", "graph", "task"])
        #expect(r.status == 0 && r.stdout.hasPrefix("stateDiagram-v2") && r.stdout.contains("assigned --> acknowledged : acknowledge"))
        r = try cli.run("workflow", "load")
        #expect(r.status == 0 && r.stdout.contains("workflow task v1: unchanged"))
        // An edited definition becomes version 2; tasks keep the version they started with.
        try FileManager.default.createDirectory(atPath: dir + "/v2", withIntermediateDirectories: true)
        try Data((try String(contentsOfFile: task, encoding: .utf8) + "\n# edited\n").utf8).write(to: URL(fileURLWithPath: dir + "/v2/task.yaml"))
        r = try cli.run("workflow", "load", dir + "/v2")
        #expect(r.status == 0 && r.stdout.contains("workflow task v2: loaded"))
    }

    @Test func calendarAndClock() async throws {
        let cli = try await CLI.fresh()
        var r = try CLI.exec(["calendar", "show", "2025"])
        #expect(r.status == 0 && r.stdout.contains("2025-04-26") && r.stdout.contains("2025-01-27"))
        r = try CLI.exec(["calendar", "check", TestCluster.repositoryRoot + "/workflows/calendars/vn.yaml"])
        #expect(r.status == 0)
        r = try cli.run("clock", "set", "2026-06-02T08:00:00+07:00")
        #expect(r.status == 0)
        r = try cli.run("clock", "show")
        #expect(r.stdout.trimmingCharacters(in: .newlines) == "2026-06-02T08:00:00+07:00")
        #expect(try cli.run("clock", "set", "yesterday").status == 1)
        #expect(try cli.run("clock", "reset").status == 0)
    }

    @Test func migrationsAreIdempotentLockedAndChecksummed() async throws {
        let cluster = try await TestCluster.cluster()
        let name = "m_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        // An empty database: two migrations at once both succeed.
        try PostgresAdmin.create(database: name, cluster: cluster)
        let url = cluster.connectionURI(database: name)
        async let a = Task { try CLI.exec(["migrate", "--database-url", url]) }.value
        async let b = Task { try CLI.exec(["migrate", "--database-url", url]) }.value
        let (ra, rb) = try await (a, b)
        #expect(ra.status == 0 && rb.status == 0, "\(ra.stderr) \(rb.stderr)")
        #expect(try CLI.exec(["migrate", "--database-url", url]).stdout.contains("up to date"))
        // An applied migration that was edited is refused, naming the file.
        let home = NSTemporaryDirectory() + "baton-home-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        try FileManager.default.copyItem(atPath: TestCluster.repositoryRoot + "/sql", toPath: home + "/sql")
        try FileManager.default.copyItem(atPath: TestCluster.repositoryRoot + "/workflows", toPath: home + "/workflows")
        let first = try FileManager.default.contentsOfDirectory(atPath: home + "/sql").sorted()[0]
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: home + "/sql/" + first))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\n-- edited\n".utf8))
        try handle.close()
        let edited = try CLI.exec(["migrate", "--database-url", url], environment: ["BATON_HOME": home])
        #expect(edited.status == 1 && edited.stderr.contains(first))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try CLI.exec(["agency", "add"]).status == 2)
        #expect(try CLI.exec(["no-such-command"]).status == 2)
        let help = try CLI.exec(["--help"])
        #expect(help.status == 0 && help.stdout.contains("dev"))
    }
}

@Suite struct CLITimeTests {
    @Test func timersStatsWebhooksAndOutbox() async throws {
        let cli = try await CLI.fresh()
        for (code, name, kind, parent) in [("UBND-T", "Ủy ban nhân dân huyện T", "people_committee", ""), ("BCD-T", "Ban Chỉ đạo 138 huyện T", "steering_committee", "UBND-T"),
                                           ("CA-T", "Công an huyện T", "police", "UBND-T")] {
            var args = ["agency", "add", code, "--name", name, "--kind", kind]
            if !parent.isEmpty { args += ["--parent", parent] }
            #expect(try CLI.exec(args + ["--database-url", cli.databaseURL]).status == 0)
        }
        try cli.run("clock", "set", "2026-11-23T09:00:00+07:00")
        let dir = NSTemporaryDirectory() + "baton-plan-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("""
            number: 9/KH
            title: Kế hoạch thử
            issued_on: 2026-11-23
            issuer: BCD-T
            monitor: CA-T
            tasks:
              - {key: a, title: Báo cáo, lead: CA-T, due: {before: 2026-12-10}}
            """.utf8).write(to: URL(fileURLWithPath: dir + "/plan.yaml"))
        #expect(try cli.run("plan", "import", dir + "/plan.yaml").status == 0)
        var r = try cli.run("timers", "run", "--once")
        #expect(r.status == 0 && r.stdout.hasPrefix("Fired 0 timers"))
        try cli.run("clock", "set", "2026-12-10T08:00:00+07:00")
        r = try cli.run("timers", "run", "--once")
        #expect(r.stdout.hasPrefix("Fired 1 timers (overdue 1)"), "stale reminders are dropped: \(r.stdout)")
        r = try cli.run("stats", "--from", "2026-12-01", "--to", "2026-12-31", "--format", "csv")
        #expect(r.stdout.contains("CA-T,Công an huyện T,0,0,0,1,0"))
        #expect(try cli.run("stats", "--from", "2026-12-31", "--to", "2026-12-01").status == 1)
        r = try cli.run("stats", "--period", "2026-H2", "--format", "csv")
        #expect(r.stdout.contains("CA-T,Công an huyện T,0,0,0,1,0"))
        #expect(try cli.run("stats", "--period", "2026-Q4").stdout.hasPrefix("Tasks due 2026-10-01 – 2026-12-31 (2026-Q4)"))
        r = try cli.run("stats", "--period", "2026-H3")
        #expect(r.status == 1 && r.stderr.contains("period"))
        #expect(try cli.run("stats", "--period", "2026", "--from", "2026-01-01").status == 1)
        #expect(try cli.run("stats").status == 1, "a period or from and to")
        r = try cli.run("webhook", "set", "CA-T", "http://127.0.0.1:9/hook")
        #expect(r.status == 0 && r.stdout.trimmingCharacters(in: .newlines).count == 40, "prints the generated secret")
        #expect(try cli.run("webhook", "set", "CA-T", "ftp://x").status == 1)
        #expect(try cli.run("webhook", "list").stdout.contains("http://127.0.0.1:9/hook"))
        #expect(try cli.run("outbox", "list").status == 0)
        #expect(try cli.run("outbox", "retry").status == 1, "ids or --dead")
        #expect(try cli.run("outbox", "retry", "--dead").stdout.contains("Queued 0"))
    }
}

@Suite struct CLIAgencyChangeTests {
    @Test func renameDeactivateMerge() async throws {
        let cli = try await CLI.fresh()
        for (code, name, parent) in [("UBND-M", "Ủy ban nhân dân huyện M", ""), ("XA-A", "Ủy ban nhân dân xã A", "UBND-M"),
                                     ("XA-B", "Ủy ban nhân dân xã B", "UBND-M"), ("AP-1", "Ấp 1", "XA-A")] {
            var args = ["agency", "add", code, "--name", name, "--kind", code == "AP-1" ? "hamlet" : "people_committee"]
            if !parent.isEmpty { args += ["--parent", parent] }
            #expect(try CLI.exec(args + ["--database-url", cli.databaseURL]).status == 0)
        }
        var r = try cli.run("agency", "rename", "XA-A", "--name", "Ủy ban nhân dân xã A mới")
        #expect(r.status == 0 && r.stdout.contains("xã A mới"))
        #expect(try cli.run("agency", "rename", "NOPE", "--name", "x").status == 1)
        r = try cli.run("agency", "merge", "XA-A", "--into", "XA-B")
        #expect(r.status == 0 && r.stdout.contains("1 sub-agencies, 0 plans moved"), "\(r.stdout)\(r.stderr)")
        #expect(try cli.run("agency", "merge", "XA-B", "--into", "XA-B").status == 1)
        #expect(try cli.run("agency", "merge", "UBND-M", "--into", "XA-B").status == 1, "not into its own descendant")
        #expect(try cli.run("agency", "deactivate", "XA-A").status == 1, "already inactive after the merge")
        #expect(try cli.run("agency", "deactivate", "XA-B").status == 0)
    }
}

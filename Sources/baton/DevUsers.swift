import BatonCore
import BatonStore
import Foundation

/// What `baton dev` prepares: the demo plans with their agencies, a plan with a history, and people
/// who sign in with a login and password (kept in the data directory, so they stay the same across
/// restarts) or call the API with a bearer token (kept there too).
enum DevUsers {
    struct Issued {
        let login: String
        let password: String
        let token: String
        let what: String
    }

    /// The demo's people: the Châu Thành A steering committee, its standing office (the police), officers.
    static let demoUsers: [(login: String, agency: String, roles: [String], what: String)] = [
        ("chair", "BCD138-CTA", ["committee"], "committee, Ban Chỉ đạo 138 huyện Châu Thành A"),
        ("office", "CA-CTA", ["coordinator"], "coordinator, Công an huyện (Cơ quan Thường trực)"),
        ("ca", "CA-CTA", ["officer"], "officer, Công an huyện Châu Thành A"),
        ("gd", "GDDT-CTA", ["officer"], "officer, Phòng Giáo dục và Đào tạo huyện Châu Thành A"),
        ("vks", "VKS-CTA", ["officer"], "officer, Viện Kiểm sát nhân dân huyện Châu Thành A"),
    ]

    /// Users, passwords and tokens; `credentials` is the file (inside the private data directory) that keeps them.
    static func prepare(_ store: BatonStore, demo: Bool, files: ProjectFiles, credentials: String) async throws -> [Issued] {
        var people: [(login: String, agency: String?, roles: [String], what: String)] = [("admin", nil, ["admin"], "admin")]
        if demo {
            try await loadExamples(store, files: files)
            try await DemoHistory.load(store)
            people += demoUsers.map { ($0.login, $0.agency, $0.roles, $0.what) }
        }
        var kept = Self.read(credentials)
        var issued: [Issued] = []
        for p in people {
            do {
                _ = try await store.addUser(login: p.login, agency: p.agency, roles: p.roles)
            } catch let e as BatonError where e.code == .conflict {
                // Already there from an earlier start.
            }
            var entry = kept[p.login]
            if let e = entry, try await store.authenticate(token: e.token) == nil { entry = nil }
            if entry == nil {
                try await store.revokeTokens(login: p.login, label: "baton dev")
                entry = (password: "baton-" + BatonStore.newFormToken().prefix(10).lowercased(),
                         token: try await store.issueToken(login: p.login, label: "baton dev"))
                try await store.setPassword(login: p.login, password: entry!.password)
                kept[p.login] = entry
            }
            issued.append(Issued(login: p.login, password: entry!.password, token: entry!.token, what: p.what))
        }
        try write(kept, to: credentials)
        return issued
    }

    /// `login password token` per line.
    static func read(_ path: String) -> [String: (password: String, token: String)] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var out: [String: (password: String, token: String)] = [:]
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ").map(String.init)
            if f.count == 3 { out[f[0]] = (f[1], f[2]) }
        }
        return out
    }

    static func write(_ kept: [String: (password: String, token: String)], to path: String) throws {
        let text = kept.keys.sorted().map { "\($0) \(kept[$0]!.password) \(kept[$0]!.token)" }.joined(separator: "\n") + "\n"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
    }

    /// Every `workflows/examples/NNN-*.yaml` plan after its `.agencies.csv`, in order, once.
    static func loadExamples(_ store: BatonStore, files: ProjectFiles) async throws {
        let dir = files.examplesDirectory
        let plans = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        for plan in plans {
            let base = dir + "/" + plan.dropLast(".yaml".count)
            if let csv = FileManager.default.contents(atPath: base + ".agencies.csv") {
                _ = try await store.importAgencies(csv: String(decoding: csv, as: UTF8.self))
            }
            let document = try PlanDocument(json: try parseDocument(dir + "/" + plan))
            do {
                _ = try await store.createPlan(document, by: nil)
            } catch let e as BatonError where e.code == .conflict {
                // Imported by an earlier start.
            } catch let e as BatonError {
                throw BatonError(e.code, "\(plan): \(e.description)")
            }
        }
    }
}

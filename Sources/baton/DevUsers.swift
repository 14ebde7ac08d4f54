import BatonCore
import BatonStore
import Foundation

/// What `baton dev` prepares: the demo plans with their agencies, and users with fresh tokens.
enum DevUsers {
    struct Issued {
        let login: String
        let token: String
        let what: String
    }

    /// The demo's people: the Châu Thành A steering committee, its standing office (the police), and officers.
    static let demoUsers: [(login: String, agency: String, roles: [String], what: String)] = [
        ("chair", "BCD138-CTA", ["committee"], "committee, Ban Chỉ đạo 138 huyện Châu Thành A"),
        ("office", "CA-CTA", ["coordinator"], "coordinator, Công an huyện (Cơ quan Thường trực)"),
        ("ca", "CA-CTA", ["officer"], "officer, Công an huyện Châu Thành A"),
        ("gd", "GDDT-CTA", ["officer"], "officer, Phòng Giáo dục và Đào tạo huyện Châu Thành A"),
    ]

    static func prepare(_ store: BatonStore, demo: Bool, files: ProjectFiles) async throws -> [Issued] {
        var people: [(login: String, agency: String?, roles: [String], what: String)] = [("admin", nil, ["admin"], "admin")]
        if demo {
            try await loadExamples(store, files: files)
            people += demoUsers.map { ($0.login, $0.agency, $0.roles, $0.what) }
        }
        var issued: [Issued] = []
        for p in people {
            do {
                _ = try await store.addUser(login: p.login, agency: p.agency, roles: p.roles)
            } catch let e as BatonError where e.code == .conflict {
                // Already there from an earlier start.
            }
            try await store.revokeTokens(login: p.login, label: "baton dev")
            issued.append(Issued(login: p.login, token: try await store.issueToken(login: p.login, label: "baton dev"), what: p.what))
        }
        return issued
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

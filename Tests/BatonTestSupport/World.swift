import BatonCore
import BatonStore
import Foundation

/// A district like the seeds': a people's committee, its steering committee, the police as the
/// standing office, procuracy, the education office with schools, and users for each role.
public struct World: Sendable {
    public let store: BatonStore
    public let chair: Principal      // committee, BCD
    public let office: Principal     // coordinator, CA
    public let police: Principal     // officer, CA
    public let procuracy: Principal  // officer, VKS
    public let education: Principal  // officer, GDDT
    public let school1: Principal    // officer, THCS1
    public let school2: Principal    // officer, THCS2
    public let admin: Principal
    public let viewer: Principal     // viewer, GDDT

    /// Builds the world in `store` (agencies, users, a token each).
    /// A new user of `agency` with `roles`, as the store sees them once signed in with a token.
    public static func person(_ store: BatonStore, _ login: String, _ agency: String?, _ roles: [String]) async throws -> Principal {
        _ = try await store.addUser(login: login, agency: agency, roles: roles)
        return try await store.authenticate(token: try await store.issueToken(login: login))!
    }

    public static func make(_ store: BatonStore) async throws -> World {
        for (code, name, kind, parent) in [
            ("UBND", "Ủy ban nhân dân huyện Châu Thành A", "people_committee", nil),
            ("BCD", "Ban Chỉ đạo 138 huyện Châu Thành A", "steering_committee", "UBND"),
            ("CA", "Công an huyện Châu Thành A", "police", "UBND"),
            ("VKS", "Viện Kiểm sát nhân dân huyện Châu Thành A", "procuracy", "UBND"),
            ("GDDT", "Phòng Giáo dục và Đào tạo huyện Châu Thành A", "education", "UBND"),
            ("THCS1", "Trường THCS Thị trấn Một Ngàn", "school", "GDDT"),
            ("THCS2", "Trường THCS Tân Hòa", "school", "GDDT"),
        ] as [(String, String, String, String?)] {
            _ = try await store.addAgency(code: code, name: name, kind: kind, parent: parent)
        }
        func user(_ login: String, _ agency: String?, _ roles: [String]) async throws -> Principal {
            try await person(store, login, agency, roles)
        }
        return World(
            store: store,
            chair: try await user("chair", "BCD", ["committee"]),
            office: try await user("office", "CA", ["coordinator"]),
            police: try await user("ca", "CA", ["officer"]),
            procuracy: try await user("vks", "VKS", ["officer"]),
            education: try await user("gd", "GDDT", ["officer"]),
            school1: try await user("s1", "THCS1", ["officer"]),
            school2: try await user("s2", "THCS2", ["officer"]),
            admin: try await user("root", nil, ["admin"]),
            viewer: try await user("watch", "GDDT", ["viewer"]))
    }

    /// A plan issued by BCD and monitored by CA.
    public func plan(number: String = "204/KH-BCĐ138", issuedOn: String = "2024-10-30", tasks: [JSONValue] = []) async throws -> PlanRecord {
        let doc = try PlanDocument(json: .object([
            "number": .string(number), "title": .string("Phòng ngừa tội phạm xâm hại tình dục trẻ em"),
            "issued_on": .string(issuedOn), "issuer": .string("BCD"), "monitor": .string("CA"), "tasks": .array(tasks),
        ]))
        return try await store.createPlan(doc, by: chair).plan
    }

    /// A task in `plan` led by CA with GDDT cooperating unless `body` says otherwise.
    public func task(_ plan: PlanRecord, _ extra: [String: JSONValue] = [:]) async throws -> TaskRecord {
        var body: [String: JSONValue] = [
            "title": .string("Phối hợp phòng chống bạo lực học đường"), "lead": .string("CA"),
            "cooperating": .array([.string("GDDT")]), "due": .object(["before": .string("2030-11-15")]),
        ]
        for (k, v) in extra { body[k] = v }
        return try await store.createTask(planID: plan.id, spec: TaskSpec(json: .object(body), path: "", keyRequired: false), by: chair)
    }
}

import BatonCore
import BatonStore
import Foundation

/// A demo plan that has been running for forty days when `baton dev` first starts: some tasks closed on
/// time, one closed late, one overdue with a difficulty raised, one due soon with an extension asked,
/// one waiting for the committee, one not yet acknowledged, and a fan-out to every commune. Its dates
/// are counted from the database's clock, so the board and statistics show a real mix on any day.
enum DemoHistory {
    static let number = "15/KH-BCĐ138"

    static func load(_ store: BatonStore) async throws {
        let admin = try await principal(store, "admin", nil, ["admin"])
        if try await store.plans(for: admin, page: Page(limit: Page.maxLimit)).items.contains(where: { $0.number == number }) { return }
        let chair = try await principal(store, "chair", "BCD138-CTA", ["committee"])
        let ca = try await principal(store, "ca", "CA-CTA", ["officer"])
        let gd = try await principal(store, "gd", "GDDT-CTA", ["officer"])
        let vks = try await principal(store, "vks", "VKS-CTA", ["officer"])
        let zone = TimeZone.named(PlanDocument.defaultTimeZone)
        let today = LocalDate(containing: try await store.now(), in: zone)
        let issued = today.adding(days: -40)
        func day(_ offset: Int) -> String { issued.adding(days: offset).description }
        func at(_ offset: Int, hour: Int = 9) -> Date { issued.adding(days: offset).start(in: zone).addingTimeInterval(Double(hour) * 3600) }
        func task(_ key: String, _ title: String, _ lead: JSONValue, due: Int, coop: [String] = []) -> JSONValue {
            .object(["key": .string(key), "title": .string(title), "lead": lead, "cooperating": .array(coop.map { .string($0) }),
                     "due": .object(["before": .string(day(due))])])
        }
        let document = try PlanDocument(json: .object([
            "number": .string(number), "title": .string("Cao điểm phòng, chống xâm hại trẻ em trong dịp hè"),
            "issued_on": .string(issued.description), "issuer": .string("BCD138-CTA"), "monitor": .string("CA-CTA"),
            "basis": .string("Kế hoạch phòng ngừa tội phạm xâm hại tình dục trẻ em của Ban Chỉ đạo 138 huyện"),
            "tasks": .array([
                task("list", "Rà soát, lập danh sách trẻ em có nguy cơ bị xâm hại", .string("CA-CTA"), due: 20, coop: ["GDDT-CTA"]),
                task("schools", "Tổ chức tuyên truyền tại các trường học", .string("GDDT-CTA"), due: 25, coop: ["CA-CTA"]),
                task("inspect", "Kiểm tra các cơ sở kinh doanh dịch vụ lưu trú, karaoke", .string("CA-CTA"), due: 35),
                task("quarter", "Báo cáo kết quả kiểm sát các vụ án xâm hại trẻ em trong quý", .string("VKS-CTA"), due: 43),
                task("legal", "Rà soát văn bản về bảo vệ trẻ em", .string("TP-CTA"), due: 55),
                task("figures", "Tổng hợp số liệu vụ việc xâm hại trẻ em 6 tháng", .string("CA-CTA"), due: 50),
                task("communes", "Xây dựng kế hoạch cao điểm của Ban Chỉ đạo 138 xã, thị trấn", .object(["each_under": .string("BCD138-CTA")]), due: 30),
            ]),
        ]))
        try await store.setClock(fixedAt: at(0, hour: 8), offset: nil)
        let plan = try await store.createPlan(document, by: chair).plan
        var filter = TaskFilter()
        filter.plan = plan.id
        let tasks = try await store.tasks(filter, for: admin, page: Page(limit: Page.maxLimit)).items
        func id(_ key: String) -> UUID { tasks.first { $0.key == key && $0.parentID == nil }!.id }
        let steps: [(day: Int, key: String, who: Principal, name: String, note: String?, params: [String: JSONValue])] = [
            (1, "list", ca, "acknowledge", nil, [:]), (1, "list", gd, "acknowledge", nil, [:]), (1, "schools", gd, "acknowledge", nil, [:]),
            (2, "list", ca, "start", nil, [:]), (2, "inspect", ca, "acknowledge", nil, [:]), (3, "schools", gd, "start", nil, [:]),
            (3, "inspect", ca, "start", nil, [:]), (5, "quarter", vks, "acknowledge", nil, [:]),
            (10, "list", gd, "contribute", "Danh sách học sinh có hoàn cảnh đặc biệt của 26 trường", [:]),
            (11, "list", ca, "submit", "Đã lập danh sách 48 trẻ em có nguy cơ, gửi kèm biểu mẫu", [:]),
            (12, "list", chair, "close", nil, [:]),
            (28, "schools", gd, "submit", "Đã tổ chức 31 buổi tuyên truyền cho 9.400 học sinh", [:]),
            (29, "schools", chair, "close", nil, [:]),
            (30, "figures", ca, "acknowledge", nil, [:]), (31, "figures", ca, "start", nil, [:]),
            (36, "inspect", ca, "raise_difficulty", "Thiếu cán bộ phối hợp kiểm tra ban đêm; đề nghị UBND các xã cử lực lượng", [:]),
            (38, "quarter", vks, "request_extension", "Chờ kết quả xét xử của Tòa án",
             ["due": .object(["before": .string(day(50))])]),
            (39, "figures", ca, "submit", "Đã tổng hợp số liệu 6 tháng, gửi kèm biểu thống kê", [:]),
        ]
        for s in steps {
            try await store.setClock(fixedAt: at(s.day), offset: nil)
            _ = try await store.transition(taskID: id(s.key), request: TransitionRequest(name: s.name, note: s.note, params: s.params), ifMatch: nil, by: s.who)
        }
        try await store.setClock(fixedAt: nil, offset: nil)
    }

    /// A principal for `login`, created if needed, through a short-lived token.
    private static func principal(_ store: BatonStore, _ login: String, _ agency: String?, _ roles: [String]) async throws -> Principal {
        do {
            _ = try await store.addUser(login: login, agency: agency, roles: roles)
        } catch let e as BatonError where e.code == .conflict {}
        let token = try await store.issueToken(login: login, label: "demo history")
        let p = try await store.authenticate(token: token)
        try await store.revokeTokens(login: login, label: "demo history")
        guard let p else { throw BatonError(.internalError, "demo user \(login) cannot sign in") }
        return p
    }
}

import BatonCore
import BatonStore
import BatonTestSupport
import Foundation
import Testing

/// `each_of_kind` reaches the issuer's own level: two districts in one database each fan out to their own schools.
@Suite struct JurisdictionTests {
    /// A second district beside the World's: its committee, steering committee, procuracy-less offices and two schools.
    static func secondDistrict(_ store: BatonStore) async throws -> Principal {
        for (code, name, kind, parent) in [
            ("UBND2", "Ủy ban nhân dân huyện Phụng Hiệp", "people_committee", nil),
            ("BCD2", "Ban Chỉ đạo 138 huyện Phụng Hiệp", "steering_committee", "UBND2"),
            ("CA2", "Công an huyện Phụng Hiệp", "police", "UBND2"),
            ("GDDT2", "Phòng Giáo dục và Đào tạo huyện Phụng Hiệp", "education", "UBND2"),
            ("THCS3", "Trường THCS Hòa An", "school", "GDDT2"),
            ("THCS4", "Trường THCS Tân Bình", "school", "GDDT2"),
        ] as [(String, String, String, String?)] {
            _ = try await store.addAgency(code: code, name: name, kind: kind, parent: parent)
        }
        return try await World.person(store, "chair2", "BCD2", ["committee"])
    }

    static func document(_ number: String, issuer: String, lead: JSONValue, indicators: [JSONValue] = []) throws -> PlanDocument {
        try PlanDocument(json: .object([
            "number": .string(number), "title": .string("Kế hoạch phòng chống xâm hại trẻ em"), "issued_on": .string("2026-03-01"),
            "issuer": .string(issuer), "indicators": .array(indicators),
            "tasks": .array([.object(["key": .string("plans"), "title": .string("Các trường xây dựng kế hoạch"), "lead": lead,
                                      "due": .object(["before": .string("2030-04-01")])])]),
        ]))
    }

    static func leads(_ store: BatonStore, _ plan: PlanRecord, _ who: Principal) async throws -> [String] {
        var filter = TaskFilter()
        filter.plan = plan.id
        return try await store.tasks(filter, for: who, page: Page()).items.filter { $0.parentID != nil }.compactMap(\.lead).sorted()
    }

    static func field(of body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch let e as BatonError {
            return e.field
        } catch {
            return "\(error)"
        }
    }

    @Test func twoDistrictsEachFanOutToTheirOwnSchools() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            let chair2 = try await Self.secondDistrict(store)
            let kind: JSONValue = .object(["each_of_kind": .string("school")])
            let one = try await store.createPlan(try Self.document("1/KH-BCĐ138", issuer: "BCD", lead: kind), by: w.chair)
            let two = try await store.createPlan(try Self.document("2/KH-BCĐ138", issuer: "BCD2", lead: kind), by: chair2)
            #expect(one.tasks == 2 && two.tasks == 2)
            #expect(try await Self.leads(store, one.plan, w.chair) == ["THCS1", "THCS2"])
            #expect(try await Self.leads(store, two.plan, chair2) == ["THCS3", "THCS4"])
            // The same through POST /v1/tasks: the plan's issuer decides the jurisdiction.
            let task = try await w.task(one.plan, ["lead": kind, "cooperating": .array([])])
            #expect(task.children?.compactMap(\.lead) == ["THCS1", "THCS2"])
        }
    }

    @Test func anIssuerWithoutParentReachesItsOwnSubtree() async throws {
        try await TestCluster.withStore { store in
            _ = try await World.make(store)
            _ = try await Self.secondDistrict(store)
            let ubnd = try await World.person(store, "ubnd", "UBND", ["committee"])
            let plan = try await store.createPlan(try Self.document("3/KH-UBND", issuer: "UBND", lead: .object(["each_of_kind": .string("school")])), by: ubnd)
            #expect(try await Self.leads(store, plan.plan, ubnd) == ["THCS1", "THCS2"])
            // Its own kind: the issuer itself is never among those it assigns to.
            let committees = try await store.createPlan(try Self.document("4/KH-UBND", issuer: "UBND", lead: .object(["each_of_kind": .string("steering_committee")])), by: ubnd)
            #expect(try await Self.leads(store, committees.plan, ubnd) == ["BCD"])
        }
    }

    @Test func underNarrowsAndMustLieWithinTheJurisdiction() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            _ = try await Self.secondDistrict(store)
            _ = try await store.addAgency(code: "TH1", name: "Trường Tiểu học Một Ngàn", kind: "school", parent: "UBND")
            let narrowed = try await store.createPlan(try Self.document("5/KH", issuer: "BCD",
                lead: .object(["each_of_kind": .string("school"), "under": .string("GDDT")])), by: w.chair)
            #expect(try await Self.leads(store, narrowed.plan, w.chair) == ["THCS1", "THCS2"], "TH1 is a school of the district, not under GDDT")
            let whole = try await store.createPlan(try Self.document("6/KH", issuer: "BCD", lead: .object(["each_of_kind": .string("school")])), by: w.chair)
            #expect(try await Self.leads(store, whole.plan, w.chair) == ["TH1", "THCS1", "THCS2"])
            // Another district's office: refused naming the field, nothing written.
            #expect(await Self.field {
                _ = try await store.createPlan(try Self.document("7/KH", issuer: "BCD",
                    lead: .object(["each_of_kind": .string("school"), "under": .string("GDDT2")])), by: w.chair)
            } == "tasks[0].lead.under")
            #expect(await Self.field {
                _ = try await w.task(narrowed.plan, ["lead": .object(["each_of_kind": .string("school"), "under": .string("GDDT2")])])
            } == "lead.under")
            #expect(await Self.field {
                _ = try await w.task(narrowed.plan, ["lead": .object(["each_of_kind": .string("school"), "under": .string("NOWHERE")])])
            } == "lead.under")
            let plans = try await store.plans(for: w.admin, page: Page()).items.map(\.number)
            #expect(!plans.contains("7/KH"))
        }
    }

    @Test func aPlanThatReliedOnTheWholeDatabaseIsToldWhy() async throws {
        try await TestCluster.withStore { store in
            _ = try await World.make(store)
            let chair2 = try await Self.secondDistrict(store)
            // District 2 has no procuracy of its own; district 1's is outside its reach.
            do {
                _ = try await store.createPlan(try Self.document("8/KH", issuer: "BCD2", lead: .object(["each_of_kind": .string("procuracy")])), by: chair2)
                Issue.record("a fan-out outside the jurisdiction was accepted")
            } catch let e as BatonError {
                #expect(e.field == "tasks[0].lead")
                #expect(e.detail.contains("jurisdiction") && e.detail.contains("1 lie outside"), "\(e.detail)")
            }
            // A kind no agency has is an unknown reference: the error names the kind's field.
            do {
                _ = try await store.createPlan(try Self.document("9/KH", issuer: "BCD2", lead: .object(["each_of_kind": .string("university")])), by: chair2)
                Issue.record("an empty fan-out was accepted")
            } catch let e as BatonError {
                #expect(e.code == .validationFailed)
                #expect(e.field == "tasks[0].lead.each_of_kind" && e.detail == "no active agency is of kind university", "\(e.field ?? "") \(e.detail)")
            }
        }
    }

    @Test func indicatorsAreReportedWithinTheJurisdiction() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            let chair2 = try await Self.secondDistrict(store)
            let school3 = try await World.person(store, "s3", "THCS3", ["officer"])
            let indicator: JSONValue = .object(["key": .string("informed"), "name": .string("Học sinh được tuyên truyền"), "unit": .string("percent"),
                                                "direction": .string("at_least"), "target": .number(70),
                                                "reported_by": .object(["each_of_kind": .string("school")])])
            let plan = try await store.createPlan(try Self.document("10/KH", issuer: "BCD", lead: .string("CA"), indicators: [indicator]), by: w.chair).plan
            let report = try IndicatorReport(json: .object(["period": .string("2026-H1"), "value": .number(75)]))
            _ = try await store.reportIndicator(planID: plan.id, key: "informed", report: report, by: w.school1)
            await #expect(throws: BatonError.self, "a school of another district does not report for this plan") {
                _ = try await store.reportIndicator(planID: plan.id, key: "informed", report: report, by: school3)
            }
            // reported_by is checked on import like a task's lead.
            var outside = indicator.objectValue!
            outside["reported_by"] = .object(["each_of_kind": .string("school"), "under": .string("GDDT")])
            #expect(await Self.field {
                _ = try await store.createPlan(try Self.document("11/KH", issuer: "BCD2", lead: .string("CA2"), indicators: [.object(outside)]), by: chair2)
            } == "indicators[0].reported_by.under")
            outside["reported_by"] = .string("NOWHERE")
            #expect(await Self.field {
                _ = try await store.createPlan(try Self.document("12/KH", issuer: "BCD2", lead: .string("CA2"), indicators: [.object(outside)]), by: chair2)
            } == "indicators[0].reported_by")
        }
    }

    @Test func aMergeAcrossDistrictsMovesRunningWorkAndTheTreeDecidesNewFanOuts() async throws {
        try await TestCluster.withStore { store in
            let w = try await World.make(store)
            let chair2 = try await Self.secondDistrict(store)
            let kind: JSONValue = .object(["each_of_kind": .string("school")])
            let running = try await store.createPlan(try Self.document("13/KH", issuer: "BCD2", lead: kind), by: chair2)
            // District 2's education office merges into district 1's: its schools move under GDDT.
            _ = try await store.mergeAgency("GDDT2", into: "GDDT")
            // The running fan-out keeps its children: the schools still lead their tasks.
            #expect(try await Self.leads(store, running.plan, chair2) == ["THCS3", "THCS4"])
            // New fan-outs follow the tree as it is now.
            let after = try await store.createPlan(try Self.document("14/KH", issuer: "BCD", lead: kind), by: w.chair)
            #expect(try await Self.leads(store, after.plan, w.chair) == ["THCS1", "THCS2", "THCS3", "THCS4"])
            await #expect(throws: BatonError.self) {
                _ = try await store.createPlan(try Self.document("15/KH", issuer: "BCD2", lead: kind), by: chair2)
            }
        }
    }
}

import BatonCore
import BatonStore
import BatonTestSupport
import Foundation
import Testing

/// The visibility rule, walked whole: every role × every relation of its agency to the work ×
/// every kind of object, against API.md's "Who sees what" written out below as the expectation;
/// the Swift rule (`Viewer`) and every read path of the store (its SQL) must agree with it.
@Suite struct VisibilityMatrixTests {
    /// How the user's agency stands to the work of the plan.
    enum Relation: String, CaseIterable {
        case lead = "LEAD", cooperating = "COOP", below = "UP", issuer = "ISS", monitor = "MON", none = "NONE"
    }

    /// A task T (lead LEAD, COOP cooperating), a fan-out F under UP with children for LEAD and
    /// LEAD2, and an incident reported by LEAD.
    enum Object: CaseIterable {
        case task, fanOutParent, fanOutChild, otherChild, incident
    }

    static let roles: [Actor.UserRole] = [.committee, .coordinator, .officer, .viewer]

    /// API.md: an officer or viewer sees what its agency leads or cooperates on and the work of
    /// agencies below it (a parent through the children it sees); a committee member every task of
    /// the plans its agency issued; a coordinator those of the plans its agency issued or monitors.
    static func expected(_ role: Actor.UserRole, _ relation: Relation, _ object: Object) -> Bool {
        switch role {
        case .admin: return true
        case .committee: return relation == .issuer
        case .coordinator: return relation == .issuer || relation == .monitor
        default:
            switch object {
            case .task: return [.lead, .cooperating, .below].contains(relation)
            case .fanOutParent, .fanOutChild, .incident: return [.lead, .below].contains(relation)
            case .otherChild: return relation == .below
            }
        }
    }

    /// A plan is visible on a plan-wide ground or through any task of it.
    static func planExpected(_ role: Actor.UserRole, _ relation: Relation) -> Bool {
        Object.allCases.contains { expected(role, relation, $0) }
    }

    @Test func theSwiftRuleMatchesTheMatrix() {
        // ROOT 1 > ISS 2, MON 3, UP 4 > (LEAD 5, LEAD2 6), COOP 7, NONE 8.
        let ids: [Relation: Int64] = [.issuer: 2, .monitor: 3, .below: 4, .lead: 5, .cooperating: 7, .none: 8]
        func path(_ id: Int64) -> [Int64] { id == 5 || id == 6 ? [1, 4, id] : [1, id] }
        func parties(_ o: Object) -> Viewer.TaskParties {
            switch o {
            case .task: .init(leadPath: path(5), cooperatorPaths: [path(7)], overseers: [2], monitors: [3])
            case .fanOutParent: .init(leadPath: nil, cooperatorPaths: [], childLeadPaths: [path(5), path(6)], overseers: [2], monitors: [3])
            case .fanOutChild, .incident: .init(leadPath: path(5), cooperatorPaths: [], overseers: [2], monitors: [3])
            case .otherChild: .init(leadPath: path(6), cooperatorPaths: [], overseers: [2], monitors: [3])
            }
        }
        for role in Self.roles {
            for relation in Relation.allCases {
                for object in Object.allCases {
                    let viewer = Viewer(agencyID: ids[relation], roles: [role])
                    #expect(viewer.canSee(parties(object)) == Self.expected(role, relation, object), "\(role) \(relation) \(object)")
                }
            }
        }
        for object in Object.allCases {
            #expect(Viewer(agencyID: nil, roles: [.admin]).canSee(parties(object)))
            #expect(!Viewer(agencyID: nil, roles: [.officer]).canSee(parties(object)), "no agency, no grounds")
        }
    }

    @Test func everyReadPathMatchesTheMatrix() async throws {
        try await TestCluster.withStore { store in
            for (code, kind, parent) in [("ROOT", "people_committee", nil), ("ISS", "steering_committee", "ROOT"), ("MON", "police", "ROOT"),
                                         ("UP", "education", "ROOT"), ("LEAD", "school", "UP"), ("LEAD2", "school", "UP"),
                                         ("COOP", "procuracy", "ROOT"), ("NONE", "justice", "ROOT")] as [(String, String, String?)] {
                _ = try await store.addAgency(code: code, name: "Đơn vị \(code)", kind: kind, parent: parent)
            }
            func user(_ login: String, _ agency: String?, _ role: Actor.UserRole) async throws -> Principal {
                try await World.person(store, login, agency, [role.rawValue])
            }
            var users: [(role: Actor.UserRole, relation: Relation?, who: Principal)] = []
            for role in Self.roles {
                for relation in Relation.allCases {
                    users.append((role, relation, try await user("\(role.rawValue)-\(relation)", relation.rawValue, role)))
                }
            }
            let admin = try await user("root", nil, .admin)
            users.append((.admin, nil, admin))
            let chair = users.first { $0.role == .committee && $0.relation == .issuer }!.who
            let reporter = users.first { $0.role == .officer && $0.relation == .lead }!.who

            let document = try PlanDocument(json: .object([
                "number": .string("1/KH-MT"), "title": .string("Kế hoạch kiểm tra"), "issued_on": .string("2030-01-05"),
                "issuer": .string("ISS"), "monitor": .string("MON"),
                "tasks": .array([
                    .object(["key": .string("t"), "title": .string("Nhiệm vụ"), "lead": .string("LEAD"),
                             "cooperating": .array([.string("COOP")]), "due": .object(["before": .string("2030-11-15")])]),
                    .object(["key": .string("f"), "title": .string("Các trường"), "lead": .object(["each_under": .string("UP")]),
                             "due": .object(["before": .string("2030-11-15")])]),
                ]),
            ]))
            let plan = try await store.createPlan(document, by: chair).plan
            let incident = try await store.reportIncident(planID: plan.id, title: "Vụ việc", description: nil, by: reporter)
            let all = try await store.tasks(TaskFilter(), for: admin, page: Page(limit: 500)).items
            let parent = all.first { $0.key == "f" && $0.parentID == nil }!
            let ids: [Object: UUID] = [
                .task: all.first { $0.key == "t" }!.id, .fanOutParent: parent.id,
                .fanOutChild: all.first { $0.parentID == parent.id && $0.lead == "LEAD" }!.id,
                .otherChild: all.first { $0.parentID == parent.id && $0.lead == "LEAD2" }!.id, .incident: incident.id,
            ]
            #expect(all.count == 5)
            // Who is told of what: the lead and cooperating agencies of the work, the issuer and monitor of an incident.
            let inbox: [String: Set<Object>] = ["LEAD": [.task, .fanOutChild], "COOP": [.task], "ISS": [.incident], "MON": [.incident]]
            let period = try ReportPeriod(name: "2030")
            var notificationIDs: [Int64: String] = [:]

            for (role, relation, who) in users {
                let label = "\(role) \(relation?.rawValue ?? "-")"
                func sees(_ object: Object) -> Bool { relation.map { Self.expected(role, $0, object) } ?? true }
                let planVisible = relation.map { Self.planExpected(role, $0) } ?? true
                let visible = Set(Object.allCases.filter(sees).map { ids[$0]! })

                // One task, its events, and the list.
                for object in Object.allCases {
                    let id = ids[object]!
                    let task = try? await store.task(id: id, for: who)
                    #expect((task != nil) == sees(object), "task \(object): \(label)")
                    let events = try? await store.events(taskID: id, for: who, page: Page())
                    #expect((events != nil) == sees(object), "events \(object): \(label)")
                    if object == .fanOutParent, let task {
                        let children = Set((task.children ?? []).map(\.id))
                        #expect(children == visible.intersection([ids[.fanOutChild]!, ids[.otherChild]!]), "children: \(label)")
                    }
                }
                let listed = Set(try await store.tasks(TaskFilter(), for: who, page: Page(limit: 500)).items.map(\.id))
                #expect(listed == visible, "task list: \(label)")
                var incidents = TaskFilter()
                incidents.kind = "incident"
                let reported = Set(try await store.tasks(incidents, for: who, page: Page(limit: 500)).items.map(\.id))
                #expect(reported == visible.intersection([ids[.incident]!]), "incidents: \(label)")

                // The plan, the plan list and the tree.
                #expect(((try? await store.plan(id: plan.id, for: who)) != nil) == planVisible, "plan: \(label)")
                let plans = try await store.plans(for: who, page: Page(limit: 500)).items.map(\.id)
                #expect(plans.contains(plan.id) == planVisible, "plan list: \(label)")
                #expect(((try? await store.planTree(id: plan.id, for: who)) != nil) == planVisible, "plan tree: \(label)")

                // The board and statistics count exactly the leaf tasks seen, by lead, and the cooperating part.
                var leads: [String: Int] = [:]
                for (object, lead) in [(Object.task, "LEAD"), (.fanOutChild, "LEAD"), (.otherChild, "LEAD2")] where sees(object) {
                    leads[lead, default: 0] += 1
                }
                let coop = sees(.task) ? 1 : 0
                let board = try? await store.board(BoardFilter(plan: plan.id), for: who)
                #expect((board != nil) == planVisible, "board: \(label)")
                if let board {
                    #expect(Dictionary(uniqueKeysWithValues: board.rows.filter { $0.open > 0 }.map { ($0.agency, $0.open) }) == leads, "board: \(label)")
                    #expect((board.rows.first { $0.agency == "COOP" }?.cooperatingOpen ?? 0) == coop, "board cooperating: \(label)")
                }
                let stats = try? await store.stats(period: period, plan: plan.id, under: nil, for: who)
                #expect((stats != nil) == planVisible, "statistics: \(label)")
                if let stats {
                    #expect(Dictionary(uniqueKeysWithValues: stats.rows.filter { $0.openWithinTerm > 0 }.map { ($0.agency, $0.openWithinTerm) }) == leads,
                            "statistics: \(label)")
                    #expect((stats.rows.first { $0.agency == "COOP" }?.cooperatingWithinTerm ?? 0) == coop, "statistics cooperating: \(label)")
                }

                // The inbox: its own agency's notifications, whatever the role.
                let notes = try await store.notifications(for: who, unreadOnly: false, page: Page(limit: 500)).items
                let told = Set((inbox[relation?.rawValue ?? ""] ?? []).map { ids[$0]! })
                #expect(Set(notes.map(\.taskID)) == told && notes.count == told.count, "notifications: \(label)")
                for n in notes { notificationIDs[n.id] = relation?.rawValue }
            }
            #expect(notificationIDs.count == 5)
            // Marking read: only a notification of one's own agency.
            for (_, relation, who) in users {
                for (id, agency) in notificationIDs {
                    let marked = try? await store.markRead(notification: id, by: who)
                    #expect((marked != nil) == (relation?.rawValue == agency), "mark read \(id): \(relation?.rawValue ?? "admin")")
                }
            }
        }
    }
}

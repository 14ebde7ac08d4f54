import Foundation
import Testing
@testable import BatonCore

/// What a page offers: exactly the transitions the engine would let this person fire now.
@Suite("TransitionEngine.choices")
struct TransitionChoicesTests {
    let engine: TransitionEngine

    init() throws {
        engine = TransitionEngine(definition: try Fixture.task(), deadlines: DeadlineContext(zone: Fixture.hcm, calendar: try Fixture.vn()))
    }

    func names(_ task: TaskState, _ actor: Actor) -> [String] {
        engine.choices(task: task, parties: Cast.parties, actor: actor, now: Cast.t0).map(\.name)
    }

    @Test("by state and person", arguments: [
        ("assigned", "lead", ["acknowledge", "handoff", "request_extension", "raise_difficulty"]),
        ("acknowledged", "lead", ["start", "handoff", "request_extension", "raise_difficulty"]),
        ("in_progress", "lead", ["submit", "handoff", "request_extension", "raise_difficulty"]),
        ("submitted", "lead", ["request_extension", "raise_difficulty"]),
        ("closed", "lead", []),
        ("assigned", "coop", ["acknowledge", "contribute"]),
        ("assigned", "committee", ["handoff", "remind", "cancel"]),
        ("submitted", "committee", ["close", "return", "remind", "cancel"]),
        ("cancelled", "committee", []),
        ("in_progress", "monitor", ["remind"]),
        ("in_progress", "other", []),
        ("in_progress", "viewer", []),
        ("in_progress", "admin", []),
    ])
    func byStateAndPerson(state: String, who: String, expected: [String]) {
        let actor = ["lead": Cast.leadOfficer, "coop": Cast.coopOfficer, "committee": Cast.committee, "monitor": Cast.monitorCoordinator,
                     "other": Cast.otherOfficer, "viewer": Cast.leadViewer, "admin": Cast.admin][who]!
        #expect(names(Cast.task(state), actor) == expected, "\(state) as \(who)")
    }

    @Test func pendingRequestsOpenTheCommitteesDecisions() throws {
        var task = Cast.task("in_progress")
        #expect(!names(task, Cast.committee).contains("approve_extension"), "nothing asked, nothing to approve")
        task = try engine.decide(TransitionRequest(name: "request_extension", params: ["due": .object(["before": .string("2024-12-01")])]),
                                 task: task, parties: Cast.parties, actor: Cast.leadOfficer, now: Cast.t0).next
        #expect(names(task, Cast.committee).contains("approve_extension") && names(task, Cast.committee).contains("reject_extension"))
        #expect(!names(task, Cast.leadOfficer).contains("request_extension"), "one request at a time")
        task = try engine.decide(TransitionRequest(name: "raise_difficulty", note: "Thiếu kinh phí"), task: task, parties: Cast.parties,
                                 actor: Cast.leadOfficer, now: Cast.t0).next
        #expect(names(task, Cast.monitorCoordinator).contains("answer_difficulty"))
    }

    @Test func aCooperatingPartIsAcknowledgedOnce() throws {
        var task = Cast.task("in_progress")
        #expect(names(task, Cast.coopOfficer).contains("acknowledge"))
        task = try engine.decide(TransitionRequest(name: "acknowledge"), task: task, parties: Cast.parties, actor: Cast.coopOfficer, now: Cast.t0).next
        #expect(!names(task, Cast.coopOfficer).contains("acknowledge"))
        #expect(names(task, Cast.coop2Officer).contains("acknowledge"), "the other cooperating agency still can")
    }

    @Test func everyChoiceIsOneTheEngineAccepts() throws {
        // Whatever is offered, fired with a note and its parameters filled, is accepted.
        let params: [String: JSONValue] = ["to": .string(Cast.other), "due": .object(["before": .string("2024-12-01")])]
        for state in ["assigned", "acknowledged", "in_progress", "submitted"] {
            for actor in [Cast.leadOfficer, Cast.coopOfficer, Cast.committee, Cast.monitorCoordinator] {
                for rule in engine.choices(task: Cast.task(state), parties: Cast.parties, actor: actor, now: Cast.t0) {
                    let given = params.filter { k, _ in rule.params.contains { $0.name == k } }
                    #expect(throws: Never.self, "\(rule.name) in \(state) by \(actor.login)") {
                        _ = try engine.decide(TransitionRequest(name: rule.name, note: "Ghi chú", params: given), task: Cast.task(state),
                                              parties: Cast.parties, actor: actor, now: Cast.t0)
                    }
                }
            }
        }
    }
}

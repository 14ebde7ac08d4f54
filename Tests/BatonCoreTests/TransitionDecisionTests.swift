import Foundation
import Testing
@testable import BatonCore

/// What the engine decides beyond the next state: whether the task stays open, its new lead and
/// the agency that must take the work, the timers of a new due time, the plan's outer due time,
/// and whether the parent or the children are reached. The store writes these as they come.
@Suite("The engine's whole decision")
struct TransitionDecisionTests {
    static let issuer = "BCD", lead = "GDDT", other = "TP"
    static let parties = PlanParties(issuer: issuer, monitor: "CA")
    static let officer = Actor(login: "gd", agency: lead, roles: [.officer])
    static let committee = Actor(login: "bcd", agency: issuer, roles: [.committee])
    static let t0 = instant("2024-10-31T08:00:00+07:00")
    static let due = instant("2024-11-15T00:00:00+07:00")

    let engine: TransitionEngine

    init() throws {
        engine = TransitionEngine(definition: try Fixture.task(), deadlines: DeadlineContext(zone: Fixture.hcm, calendar: try Fixture.vn()))
    }

    func task(_ state: String = "assigned", pending: PendingRequests = PendingRequests(), parent: Bool = false, child: Bool = false) -> TaskState {
        TaskState(state: state, lead: parent ? nil : Self.lead, dueAt: Self.due, pending: pending, isParent: parent, isChild: child)
    }

    func fire(_ name: String, _ task: TaskState, by actor: Actor, note: String? = nil, params: [String: JSONValue] = [:],
              parties: PlanParties = Self.parties) throws -> TransitionOutcome {
        try engine.decide(TransitionRequest(name: name, note: note, params: params), task: task, parties: parties, actor: actor, now: Self.t0)
    }

    @Test func anOrdinaryChangeNamesNoAgencyAndSetsNoTimers() throws {
        let ack = try fire("acknowledge", task(), by: Self.officer)
        #expect(ack.open && ack.newLead == nil && ack.namedAgency == nil && ack.timers.isEmpty)
        #expect(!ack.reachesParent && !ack.reachesChildren)
    }

    @Test func closingAndCancellingEndTheTask() throws {
        #expect(try !fire("close", task("submitted"), by: Self.committee).open)
        #expect(try !fire("cancel", task(), by: Self.committee, note: "Trùng").open)
    }

    @Test func theCommitteeMovesTheLeadAndNamesIt() throws {
        let moved = try fire("handoff", task(), by: Self.committee, params: ["to": .string(Self.other)])
        #expect(moved.newLead == Self.other && moved.namedAgency == Self.other && moved.next.lead == Self.other)
    }

    @Test func aRequestedHandoffNamesTheAgencyButKeepsTheLead() throws {
        let asked = try fire("handoff", task(), by: Self.officer, params: ["to": .string(Self.other)])
        #expect(asked.newLead == nil && asked.namedAgency == Self.other && asked.next.lead == Self.lead)
        let approved = try fire("approve_handoff", asked.next, by: Self.committee)
        #expect(approved.newLead == Self.other && approved.namedAgency == Self.other)
        let rejected = try fire("reject_handoff", asked.next, by: Self.committee)
        #expect(rejected.newLead == nil && rejected.namedAgency == nil)
    }

    @Test func aNewDueTimeInForceGetsItsTimers() throws {
        let asked = try fire("request_extension", task("in_progress"), by: Self.officer, note: "Cần thêm thời gian",
                             params: ["due": .object(["before": .string("2024-12-02")])])
        #expect(asked.timers.isEmpty, "only asked: the due time in force is unchanged")
        let approved = try fire("approve_extension", asked.next, by: Self.committee)
        let newDue = instant("2024-12-02T00:00:00+07:00")
        #expect(approved.next.dueAt == newDue)
        #expect(approved.timers == TimerPlan(dueAt: newDue, deadlines: engine.deadlines, settings: engine.definition.settings, after: Self.t0).timers)
        #expect(approved.timers.contains { $0.kind == "overdue" && $0.fireAt == newDue })
    }

    @Test func noDueTimeMayPassTheTaskThePlanDelivers() throws {
        let limited = PlanParties(issuer: Self.issuer, monitor: "CA", deliversBy: instant("2024-11-30T00:00:00+07:00"))
        let late = batonError({
            try fire("request_extension", task("in_progress"), by: Self.officer, note: "x",
                     params: ["due": .object(["before": .string("2024-12-02")])], parties: limited)
        })
        #expect(late?.field == "params.due" && late?.detail.contains("2024-11-30T00:00:00+07:00") == true)
        let inTime = try fire("request_extension", task("in_progress"), by: Self.officer, note: "x",
                              params: ["due": .object(["before": .string("2024-11-29")])], parties: limited)
        #expect(inTime.next.pending.extension != nil)
    }

    @Test func aParentsCancelOrReminderReachesItsChildren() throws {
        #expect(try fire("cancel", task(parent: true), by: Self.committee, note: "Dừng").reachesChildren)
        #expect(try fire("remind", task(parent: true), by: Self.committee).reachesChildren)
        #expect(try !fire("remind", task(), by: Self.committee).reachesChildren, "a leaf has no children")
    }

    @Test func aChildsFinalStateReachesItsParent() throws {
        #expect(try fire("close", task("submitted", child: true), by: Self.committee).reachesParent)
        #expect(try !fire("return", task("submitted", child: true), by: Self.committee, note: "Bổ sung").reachesParent)
        #expect(try !fire("close", task("submitted"), by: Self.committee).reachesParent, "no parent")
    }
}

import Foundation
import Testing
@testable import BatonCore

/// The parties and people of a small plan, as the engine sees them.
enum Cast {
    static let issuer = "BCD138-CTA"
    static let monitor = "CA-CTA"
    static let lead = "GDDT-CTA"
    static let coop1 = "YTE-CTA"
    static let coop2 = "VHTT-CTA"
    static let other = "TP-CTA"
    static let parties = PlanParties(issuer: issuer, monitor: monitor)

    static let leadOfficer = Actor(login: "gd.canbo", agency: lead, roles: [.officer])
    static let leadViewer = Actor(login: "gd.xem", agency: lead, roles: [.viewer])
    static let leadCommittee = Actor(login: "gd.bcd", agency: lead, roles: [.committee, .coordinator])
    static let coopOfficer = Actor(login: "yte.canbo", agency: coop1, roles: [.officer])
    static let coop2Officer = Actor(login: "vhtt.canbo", agency: coop2, roles: [.officer])
    static let committee = Actor(login: "bcd.thuongtruc", agency: issuer, roles: [.committee])
    static let issuerCoordinator = Actor(login: "bcd.dieuphoi", agency: issuer, roles: [.coordinator])
    static let monitorCoordinator = Actor(login: "ca.dieuphoi", agency: monitor, roles: [.coordinator])
    static let monitorCommittee = Actor(login: "ca.bcd", agency: monitor, roles: [.committee])
    static let monitorOfficer = Actor(login: "ca.canbo", agency: monitor, roles: [.officer])
    static let otherOfficer = Actor(login: "tp.canbo", agency: other, roles: [.officer])
    static let newLeadOfficer = Actor(login: "tp.canbo2", agency: other, roles: [.officer])
    static let admin = Actor(login: "admin", agency: nil, roles: [.admin])
    static let adminAtIssuer = Actor(login: "admin2", agency: issuer, roles: [.admin, .viewer])
    static let officerWithoutAgency = Actor(login: "lost", agency: nil, roles: [.officer, .committee, .coordinator])

    static let due = instant("2024-11-15T00:00:00+07:00")
    static let t0 = instant("2024-10-31T08:00:00+07:00")

    static func task(_ state: String = "assigned", due: Date? = Cast.due) -> TaskState {
        TaskState(state: state, lead: lead, cooperating: [.init(agency: coop1), .init(agency: coop2)], dueAt: due, version: 1)
    }
}

@Suite("TransitionEngine")
struct TransitionEngineTests {
    let engine: TransitionEngine

    init() throws {
        engine = TransitionEngine(definition: try Fixture.task(), deadlines: DeadlineContext(zone: Fixture.hcm, calendar: try Fixture.vn()))
    }

    func fire(_ name: String, _ task: TaskState, by actor: Actor, note: String? = nil, params: [String: JSONValue] = [:],
              at now: Date = Cast.t0) throws -> TransitionOutcome {
        try engine.decide(TransitionRequest(name: name, note: note, params: params), task: task, parties: Cast.parties, actor: actor, now: now)
    }

    func refusal(_ name: String, _ task: TaskState, by actor: Actor, note: String? = nil, params: [String: JSONValue] = [:],
                 at now: Date = Cast.t0, sourceLocation: SourceLocation = #_sourceLocation) -> BatonError? {
        batonError({ try fire(name, task, by: actor, note: note, params: params, at: now) }, sourceLocation: sourceLocation)
    }

    // MARK: the lifecycle

    @Test("acknowledge → start → submit → close, on time")
    func lifecycleOnTime() throws {
        var task = Cast.task()
        let ack = try fire("acknowledge", task, by: Cast.leadOfficer)
        #expect(ack.next.state == "acknowledged")
        #expect(ack.next.acknowledgedAt == Cast.t0)
        #expect(ack.next.version == 2)
        #expect(ack.event == EventDraft(name: "acknowledge", from: "assigned", to: "acknowledged", note: nil, params: [:]))
        #expect(ack.transition.effect == .acknowledge)
        #expect(ack.notify.isEmpty, "the lead acted itself")
        task = ack.next

        let start = try fire("start", task, by: Cast.leadOfficer, at: Cast.t0.addingTimeInterval(3600))
        #expect(start.next.state == "in_progress")
        #expect(start.next.version == 3)
        #expect(start.next.acknowledgedAt == Cast.t0, "unchanged")
        #expect(start.event.from == "acknowledged" && start.event.to == "in_progress")
        task = start.next

        #expect(refusal("submit", task, by: Cast.leadOfficer)?.code == .validationFailed)
        #expect(refusal("submit", task, by: Cast.leadOfficer)?.field == "note")
        #expect(refusal("submit", task, by: Cast.leadOfficer, note: "  \n ")?.field == "note")
        let submit = try fire("submit", task, by: Cast.leadOfficer, note: "  Đã xây dựng kế hoạch.  ")
        #expect(submit.next.state == "submitted")
        #expect(submit.next.version == 4)
        #expect(submit.event.note == "Đã xây dựng kế hoạch.", "trimmed")
        task = submit.next

        let closedAt = instant("2024-11-14T23:59:59+07:00")
        let close = try fire("close", task, by: Cast.committee, at: closedAt)
        #expect(close.next.state == "closed")
        #expect(close.next.closedAt == closedAt)
        #expect(close.next.onTime == true)
        #expect(close.next.version == 5)
        #expect(close.event.from == "submitted" && close.event.to == "closed")
        #expect(close.notify == [Cast.lead])
        #expect(close.next.isOverdue(at: instant("2030-01-01T00:00:00Z"), definition: engine.definition) == false)
    }

    @Test("closing at or after the due time is late; without a due time there is no verdict", arguments: [
        ("2024-11-15T00:00:00+07:00", Optional(false)),
        ("2024-11-14T17:00:00Z", Optional(false)),
        ("2024-11-14T16:59:59Z", Optional(true)),
        ("2025-03-01T10:00:00+07:00", Optional(false)),
    ])
    func onTime(closedAt: String, expected: Bool?) throws {
        let close = try fire("close", Cast.task("submitted"), by: Cast.committee, at: instant(closedAt))
        #expect(close.next.onTime == expected)
    }

    @Test("no due time: on_time stays null")
    func noDueTime() throws {
        let close = try fire("close", Cast.task("submitted", due: nil), by: Cast.committee)
        #expect(close.next.onTime == nil)
        #expect(close.next.closedAt == Cast.t0)
    }

    @Test("return sends a submitted task back, with a note")
    func returnTask() throws {
        let task = Cast.task("submitted")
        #expect(refusal("return", task, by: Cast.committee)?.field == "note")
        let r = try fire("return", task, by: Cast.committee, note: "Bổ sung số liệu")
        #expect(r.next.state == "in_progress")
        #expect(r.event == EventDraft(name: "return", from: "submitted", to: "in_progress", note: "Bổ sung số liệu", params: [:]))
        #expect(r.notify == [Cast.lead])
        #expect(refusal("return", Cast.task("in_progress"), by: Cast.committee, note: "x")?.code == .invalidTransition)
    }

    @Test("cancel from every open state needs a note; final is final", arguments: ["assigned", "acknowledged", "in_progress", "submitted"])
    func cancel(state: String) throws {
        var task = Cast.task(state)
        task.pending = PendingRequests(
            handoff: .init(to: Cast.other, by: "gd.canbo", at: Cast.t0, note: nil),
            extension: .init(due: .object(["before": .string("2024-12-01")]), dueAt: instant("2024-12-01T00:00:00+07:00"),
                             by: "gd.canbo", at: Cast.t0, note: nil))
        #expect(refusal("cancel", task, by: Cast.committee)?.code == .validationFailed)
        #expect(refusal("cancel", task, by: Cast.committee, note: " ")?.field == "note")
        let c = try fire("cancel", task, by: Cast.committee, note: "Trùng nhiệm vụ")
        #expect(c.next.state == "cancelled")
        #expect(c.next.pending == PendingRequests())
        #expect(c.next.closedAt == nil && c.next.onTime == nil)
        #expect(c.event.from == state && c.event.to == "cancelled" && c.event.note == "Trùng nhiệm vụ")
        #expect(c.notify == [Cast.lead, Cast.coop1, Cast.coop2])
        let cancelled = c.next
        #expect(!cancelled.isOverdue(at: instant("2030-01-01T00:00:00Z"), definition: engine.definition))
        // Nothing moves a cancelled task again.
        for (name, actor, note) in [("cancel", Cast.committee, "again"), ("close", Cast.committee, nil), ("remind", Cast.committee, nil),
                                    ("remind", Cast.monitorCoordinator, nil), ("acknowledge", Cast.leadOfficer, nil),
                                    ("acknowledge", Cast.coopOfficer, nil), ("start", Cast.leadOfficer, nil),
                                    ("request_extension", Cast.leadOfficer, nil), ("approve_extension", Cast.committee, nil),
                                    ("reject_handoff", Cast.committee, nil), ("return", Cast.committee, "x")] as [(String, Actor, String?)] {
            let params: [String: JSONValue] = name == "request_extension" ? ["due": .object(["before": .string("2025-01-01")])] : [:]
            #expect(refusal(name, cancelled, by: actor, note: note, params: params)?.code == .invalidTransition, "\(name)")
        }
    }

    @Test("a closed task is final too")
    func closedIsFinal() throws {
        let closed = try fire("close", Cast.task("submitted"), by: Cast.committee).next
        #expect(refusal("cancel", closed, by: Cast.committee, note: "x")?.code == .invalidTransition)
        #expect(refusal("return", closed, by: Cast.committee, note: "x")?.code == .invalidTransition)
        #expect(refusal("handoff", closed, by: Cast.committee, params: ["to": .string(Cast.other)])?.code == .invalidTransition)
    }

    @Test("version +1 on every change, across a long run")
    func versions() throws {
        var task = Cast.task()
        let steps: [(String, Actor, String?, [String: JSONValue])] = [
            ("acknowledge", Cast.coopOfficer, nil, [:]),
            ("remind", Cast.monitorCoordinator, nil, [:]),
            ("acknowledge", Cast.leadOfficer, nil, [:]),
            ("request_extension", Cast.leadOfficer, "Cần thêm thời gian", ["due": .object(["on": .string("2024-11-30")])]),
            ("approve_extension", Cast.committee, nil, [:]),
            ("start", Cast.leadOfficer, nil, [:]),
            ("acknowledge", Cast.coop2Officer, nil, [:]),
            ("submit", Cast.leadOfficer, "Xong", [:]),
            ("return", Cast.committee, "Thiếu", [:]),
            ("submit", Cast.leadOfficer, "Đã bổ sung", [:]),
            ("close", Cast.committee, nil, [:]),
        ]
        for (i, (name, actor, note, params)) in steps.enumerated() {
            let out = try fire(name, task, by: actor, note: note, params: params, at: Cast.t0.addingTimeInterval(Double(i) * 86400))
            #expect(out.next.version == task.version + 1)
            #expect(out.event.name == name)
            #expect(out.event.from == task.state)
            #expect(out.event.to == out.next.state)
            task = out.next
        }
        #expect(task.version == 1 + steps.count)
        #expect(task.state == "closed")
        #expect(task.dueAt == instant("2024-12-01T00:00:00+07:00"))
        #expect(task.originalDueAt == Cast.due)
        #expect(task.onTime == true, "closed 2024-11-10, before the extended due time")
        #expect(task.cooperating.allSatisfy { $0.acknowledgedAt != nil })
    }

    // MARK: who may fire what

    @Test("a cooperating officer acknowledges its own part, once, without changing the state",
          arguments: ["assigned", "acknowledged", "in_progress", "submitted"])
    func acknowledgePart(state: String) throws {
        let task = Cast.task(state)
        let out = try fire("acknowledge", task, by: Cast.coopOfficer)
        #expect(out.next.state == state)
        #expect(out.next.version == 2)
        #expect(out.next.acknowledgedAt == nil, "the lead's acknowledgement is untouched")
        #expect(out.next.cooperating == [.init(agency: Cast.coop1, acknowledgedAt: Cast.t0), .init(agency: Cast.coop2)])
        #expect(out.event == EventDraft(name: "acknowledge", from: state, to: state, note: nil, params: ["agency": .string(Cast.coop1)]))
        #expect(out.transition.effect == .acknowledgePart)
        #expect(out.notify == [Cast.lead])
        let again = refusal("acknowledge", out.next, by: Cast.coopOfficer, at: Cast.t0.addingTimeInterval(60))
        #expect(again?.code == .invalidTransition)
        // The other cooperating agency still can.
        let second = try fire("acknowledge", out.next, by: Cast.coop2Officer)
        #expect(second.next.cooperating.allSatisfy { $0.acknowledgedAt == Cast.t0 })
        #expect(second.next.version == 3)
    }

    @Test("the lead acknowledges only once, from assigned")
    func leadAcknowledgesOnce() throws {
        let acknowledged = try fire("acknowledge", Cast.task(), by: Cast.leadOfficer).next
        #expect(refusal("acknowledge", acknowledged, by: Cast.leadOfficer)?.code == .invalidTransition)
        #expect(refusal("acknowledge", Cast.task("in_progress"), by: Cast.leadOfficer)?.code == .invalidTransition)
    }

    /// (transition, actor, note, params) that the actor may not fire: 403 `forbidden`.
    static let forbiddenCases: [(String, Actor, String?, [String: JSONValue])] = [
        ("acknowledge", Cast.otherOfficer, nil, [:]),
        ("acknowledge", Cast.admin, nil, [:]),
        ("acknowledge", Cast.adminAtIssuer, nil, [:]),
        ("acknowledge", Cast.leadViewer, nil, [:]),
        ("acknowledge", Cast.leadCommittee, nil, [:]),
        ("acknowledge", Cast.committee, nil, [:]),
        ("acknowledge", Cast.monitorOfficer, nil, [:]),
        ("acknowledge", Cast.officerWithoutAgency, nil, [:]),
        ("acknowledge", Actor.system, nil, [:]),
        ("start", Cast.coopOfficer, nil, [:]),
        ("start", Cast.committee, nil, [:]),
        ("submit", Cast.coopOfficer, "x", [:]),
        ("close", Cast.leadOfficer, nil, [:]),
        ("close", Cast.issuerCoordinator, nil, [:]),
        ("close", Cast.monitorCoordinator, nil, [:]),
        ("close", Cast.monitorCommittee, nil, [:]),
        ("close", Cast.admin, nil, [:]),
        ("return", Cast.leadOfficer, "x", [:]),
        ("cancel", Cast.leadOfficer, "x", [:]),
        ("cancel", Cast.monitorCoordinator, "x", [:]),
        ("cancel", Cast.adminAtIssuer, "x", [:]),
        ("handoff", Cast.coopOfficer, nil, ["to": .string(Cast.coop1)]),
        ("handoff", Cast.otherOfficer, nil, ["to": .string(Cast.other)]),
        ("handoff", Cast.monitorCoordinator, nil, ["to": .string(Cast.other)]),
        ("approve_handoff", Cast.leadOfficer, nil, [:]),
        ("reject_handoff", Cast.monitorCoordinator, nil, [:]),
        ("request_extension", Cast.coopOfficer, nil, ["due": .object(["before": .string("2024-12-01")])]),
        ("request_extension", Cast.committee, nil, ["due": .object(["before": .string("2024-12-01")])]),
        ("approve_extension", Cast.leadOfficer, nil, [:]),
        ("approve_extension", Cast.monitorCoordinator, nil, [:]),
        ("reject_extension", Cast.issuerCoordinator, nil, [:]),
        ("remind", Cast.leadOfficer, nil, [:]),
        ("remind", Cast.coopOfficer, nil, [:]),
        ("remind", Cast.monitorCommittee, nil, [:]),
        ("remind", Cast.monitorOfficer, nil, [:]),
        ("remind", Cast.otherOfficer, nil, [:]),
        ("remind", Cast.admin, nil, [:]),
        ("remind", Cast.adminAtIssuer, nil, [:]),
        ("remind", Cast.leadCommittee, nil, [:]),
        ("remind", Actor.system, nil, [:]),
    ]

    @Test("who may not fire what: forbidden", arguments: forbiddenCases)
    func forbidden(name: String, actor: Actor, note: String?, params: [String: JSONValue]) {
        // In a state where the transition exists, so that only the actor is wrong.
        let state = ["start": "acknowledged", "submit": "in_progress", "close": "submitted", "return": "submitted"][name] ?? "assigned"
        var task = Cast.task(state)
        task.pending = PendingRequests(handoff: .init(to: Cast.other, by: "gd.canbo", at: Cast.t0, note: nil))
        let e = refusal(name, task, by: actor, note: note, params: params)
        #expect(e?.code == .forbidden, "\(actor.login) \(name)")
        #expect(e?.detail.contains(name) == true)
    }

    @Test("coordinators of the monitor or the issuer, and the issuer's committee, may remind", arguments: [
        Cast.monitorCoordinator, Cast.issuerCoordinator, Cast.committee,
    ])
    func remind(actor: Actor) throws {
        for state in ["assigned", "acknowledged", "in_progress", "submitted"] {
            let out = try fire("remind", Cast.task(state), by: actor, note: "Đề nghị khẩn trương")
            #expect(out.next.state == state)
            #expect(out.next.version == 2)
            var unchanged = out.next
            unchanged.version = 1
            #expect(unchanged == Cast.task(state), "remind changes nothing but the version")
            #expect(out.event == EventDraft(name: "remind", from: state, to: state, note: "Đề nghị khẩn trương", params: [:]))
            #expect(out.notify == [Cast.lead])
        }
    }

    @Test("roles are relations to the task and the plan")
    func roles() {
        let task = Cast.task()
        func roles(_ a: Actor) -> Set<WorkflowDefinition.Role> { TransitionEngine.roles(of: a, task: task, parties: Cast.parties) }
        #expect(roles(Cast.leadOfficer) == [.leadOfficer])
        #expect(roles(Cast.coopOfficer) == [.cooperatingOfficer])
        #expect(roles(Cast.committee) == [.issuerCommittee])
        #expect(roles(Cast.issuerCoordinator) == [.coordinator])
        #expect(roles(Cast.monitorCoordinator) == [.coordinator])
        #expect(roles(Cast.monitorCommittee) == [])
        #expect(roles(Cast.leadViewer) == [])
        #expect(roles(Cast.leadCommittee) == [])
        #expect(roles(Cast.admin) == [])
        #expect(roles(Cast.adminAtIssuer) == [])
        #expect(roles(Cast.officerWithoutAgency) == [])
        #expect(roles(Actor.system) == [.system])
        let everything = Actor(login: "all", agency: Cast.issuer, roles: Set(Actor.UserRole.allCases))
        #expect(roles(everything) == [.issuerCommittee, .coordinator])
        let issuerLeads = TaskState(state: "assigned", lead: Cast.issuer)
        #expect(TransitionEngine.roles(of: everything, task: issuerLeads, parties: Cast.parties) == [.leadOfficer, .issuerCommittee, .coordinator])
        let fanOutParent = TaskState(state: "assigned", lead: nil)
        #expect(TransitionEngine.roles(of: Cast.leadOfficer, task: fanOutParent, parties: Cast.parties) == [])
        let noMonitor = PlanParties(issuer: Cast.issuer, monitor: nil)
        #expect(TransitionEngine.roles(of: Cast.monitorCoordinator, task: task, parties: noMonitor) == [])
    }

    // MARK: requests the engine refuses

    @Test("an unknown transition is validation_failed, naming the ones there are", arguments: ["approve", "Acknowledge", "", "close "])
    func unknownTransition(name: String) {
        let e = refusal(name, Cast.task(), by: Cast.committee)
        #expect(e?.code == .validationFailed)
        #expect(e?.field == "name")
        #expect(e?.detail.contains("acknowledge") == true)
    }

    @Test("unknown or bad params are validation_failed", arguments: [
        ("acknowledge", "assigned", ["x": JSONValue.number(1)], "params.x"),
        ("remind", "assigned", ["to": .string("TP-CTA")], "params.to"),
        ("handoff", "assigned", ["to": .string("TP-CTA"), "reason": .string("x")], "params.reason"),
        ("handoff", "assigned", [:], "params.to"),
        ("handoff", "assigned", ["to": .null], "params.to"),
        ("handoff", "assigned", ["to": .string("  ")], "params.to"),
        ("handoff", "assigned", ["to": .array([])], "params.to"),
        ("handoff", "assigned", ["to": .number(115)], "params.to"),          // a number is not a code
        ("handoff", "assigned", ["to": .string(Cast.lead)], "params.to"),   // already leads
        ("request_extension", "in_progress", [:], "params.due"),
        ("request_extension", "in_progress", ["due": .string("2024-12-01")], "params.due"),
        ("request_extension", "in_progress", ["due": .object(["before": .string("2024-12-32")])], "params.due.before"),
        ("request_extension", "in_progress", ["due": .object(["yearly_before": .array([.string("12-01")])])], "params.due"),
        ("request_extension", "in_progress", ["due": .object(["before": .string("2024-11-15")])], "params.due"),  // not later
        ("request_extension", "in_progress", ["due": .object(["before": .string("2024-11-01")])], "params.due"),  // earlier
        ("request_extension", "in_progress", ["due": .object(["at": .string("2024-11-14T17:00:00Z")])], "params.due"),  // same instant
        ("request_extension", "in_progress", ["due": .object(["before": .string("2024-12-01")]), "why": .string("x")], "params.why"),
    ])
    func badParams(name: String, state: String, params: [String: JSONValue], field: String) {
        let actor = name == "handoff" || name == "remind" ? Cast.committee : Cast.leadOfficer
        let e = refusal(name, Cast.task(state), by: actor, params: params)
        #expect(e?.code == .validationFailed, "\(name) \(params)")
        #expect(e?.field == field, "\(name) \(params)")
    }

    @Test("a transition not allowed from the current state is invalid_transition", arguments: [
        ("start", "assigned", "lead"), ("start", "in_progress", "lead"), ("submit", "acknowledged", "lead"),
        ("close", "in_progress", "committee"), ("close", "assigned", "committee"), ("return", "acknowledged", "committee"),
        ("handoff", "submitted", "committee"), ("handoff", "submitted", "lead"), ("acknowledge", "submitted", "lead"),
    ])
    func wrongState(name: String, state: String, who: String) {
        let actor = who == "lead" ? Cast.leadOfficer : Cast.committee
        let params: [String: JSONValue] = name == "handoff" ? ["to": .string(Cast.other)] : [:]
        let e = refusal(name, Cast.task(state), by: actor, note: "note", params: params)
        #expect(e?.code == .invalidTransition)
        #expect(e?.detail.contains(state) == true)
    }

    // MARK: handoff

    @Test("the committee moves the lead at once")
    func handoffByCommittee() throws {
        var task = Cast.task("in_progress")
        task.acknowledgedAt = Cast.t0
        task.cooperating[0].acknowledgedAt = Cast.t0
        let out = try fire("handoff", task, by: Cast.committee, note: "Đúng chức năng", params: ["to": .string(Cast.coop1)])
        #expect(out.next.lead == Cast.coop1)
        #expect(out.next.state == "assigned")
        #expect(out.next.acknowledgedAt == nil)
        #expect(out.next.cooperating.map(\.agency) == [Cast.coop2], "the new lead no longer cooperates")
        #expect(out.next.version == 2)
        #expect(out.event == EventDraft(name: "handoff", from: "in_progress", to: "assigned", note: "Đúng chức năng",
                                        params: ["to": .string(Cast.coop1), "from": .string(Cast.lead)]))
        #expect(out.transition.effect == .moveLead)
        #expect(Set(out.notify) == [Cast.coop1, Cast.lead, Cast.coop2], "the new lead, the old lead, the cooperating agencies")
        #expect(out.notify.first == Cast.coop1)
        #expect(!out.notify.contains(Cast.issuer))
    }

    @Test("the committee's handoff also settles a pending request")
    func handoffByCommitteeClearsPending() throws {
        var task = Cast.task("acknowledged")
        task.pending.handoff = .init(to: Cast.coop2, by: "gd.canbo", at: Cast.t0, note: nil)
        let out = try fire("handoff", task, by: Cast.committee, params: ["to": .string(Cast.other)])
        #expect(out.next.lead == Cast.other)
        #expect(out.next.pending.handoff == nil)
        #expect(out.next.cooperating.map(\.agency) == [Cast.coop1, Cast.coop2])
    }

    @Test("the lead officer asks; the committee approves")
    func handoffRequestApproved() throws {
        let task = try fire("acknowledge", Cast.task(), by: Cast.leadOfficer).next
        let asked = try fire("handoff", task, by: Cast.leadOfficer, note: "Không thuộc chức năng", params: ["to": .string(Cast.other)],
                             at: Cast.t0.addingTimeInterval(60))
        #expect(asked.next.state == "acknowledged", "the state stays")
        #expect(asked.next.lead == Cast.lead, "the lead stays")
        #expect(asked.next.pending.handoff == .init(to: Cast.other, by: "gd.canbo", at: Cast.t0.addingTimeInterval(60), note: "Không thuộc chức năng"))
        #expect(asked.next.version == 3)
        #expect(asked.transition.effect == .requestHandoff)
        #expect(asked.event == EventDraft(name: "handoff", from: "acknowledged", to: "acknowledged", note: "Không thuộc chức năng",
                                          params: ["to": .string(Cast.other)]))
        #expect(asked.notify == [Cast.issuer])

        // A second request while one waits.
        let twice = refusal("handoff", asked.next, by: Cast.leadOfficer, params: ["to": .string(Cast.coop1)])
        #expect(twice?.code == .invalidTransition)

        let approved = try fire("approve_handoff", asked.next, by: Cast.committee)
        #expect(approved.next.lead == Cast.other)
        #expect(approved.next.state == "assigned")
        #expect(approved.next.acknowledgedAt == nil)
        #expect(approved.next.pending.handoff == nil)
        #expect(approved.next.version == 4)
        #expect(approved.event.params == ["to": .string(Cast.other), "from": .string(Cast.lead)])
        #expect(approved.event.from == "acknowledged" && approved.event.to == "assigned")
        #expect(Set(approved.notify) == [Cast.other, Cast.lead, Cast.coop1, Cast.coop2])

        // The new lead's officer now acknowledges; the old lead's officer no longer can.
        #expect(try fire("acknowledge", approved.next, by: Cast.newLeadOfficer).next.state == "acknowledged")
        #expect(refusal("acknowledge", approved.next, by: Cast.leadOfficer)?.code == .forbidden)
    }

    @Test("approving a handoff to a cooperating agency removes it from the cooperating list")
    func approveToCooperating() throws {
        let asked = try fire("handoff", Cast.task("in_progress"), by: Cast.leadOfficer, params: ["to": .string(Cast.coop2)])
        let approved = try fire("approve_handoff", asked.next, by: Cast.committee)
        #expect(approved.next.lead == Cast.coop2)
        #expect(approved.next.cooperating.map(\.agency) == [Cast.coop1])
        #expect(approved.next.state == "assigned")
    }

    @Test("the committee refuses a handoff")
    func handoffRejected() throws {
        let asked = try fire("handoff", Cast.task("in_progress"), by: Cast.leadOfficer, params: ["to": .string(Cast.other)])
        let rejected = try fire("reject_handoff", asked.next, by: Cast.committee, note: "Giữ nguyên")
        #expect(rejected.next.pending.handoff == nil)
        #expect(rejected.next.lead == Cast.lead)
        #expect(rejected.next.state == "in_progress")
        #expect(rejected.event == EventDraft(name: "reject_handoff", from: "in_progress", to: "in_progress", note: "Giữ nguyên",
                                             params: ["to": .string(Cast.other)]))
        #expect(rejected.notify == [Cast.lead])
        // Once refused, the lead may ask again.
        #expect(try fire("handoff", rejected.next, by: Cast.leadOfficer, params: ["to": .string(Cast.coop1)]).next.pending.handoff?.to == Cast.coop1)
    }

    @Test("approve or reject with nothing pending is invalid_transition")
    func nothingPending() {
        for name in ["approve_handoff", "reject_handoff", "approve_extension", "reject_extension"] {
            #expect(refusal(name, Cast.task("in_progress"), by: Cast.committee)?.code == .invalidTransition, "\(name)")
        }
    }

    @Test("the lead cannot ask to hand off to itself")
    func handoffToSelf() {
        let e = refusal("handoff", Cast.task(), by: Cast.leadOfficer, params: ["to": .string(Cast.lead)])
        #expect(e?.code == .validationFailed)
        #expect(e?.field == "params.to")
    }

    // MARK: extensions

    @Test("request_extension → approve_extension: the due time in force changes, the original is kept")
    func extensionApproved() throws {
        let task = Cast.task("in_progress")
        let asked = try fire("request_extension", task, by: Cast.leadOfficer, note: "Chờ số liệu",
                             params: ["due": .object(["before": .string("2024-11-30")])])
        let wanted = instant("2024-11-30T00:00:00+07:00")
        #expect(asked.next.state == "in_progress")
        #expect(asked.next.dueAt == Cast.due, "not in force until approved")
        #expect(asked.next.pending.extension?.dueAt == wanted)
        #expect(asked.next.pending.extension?.due == .object(["before": .string("2024-11-30")]))
        #expect(asked.next.pending.extension?.by == "gd.canbo")
        #expect(asked.next.pending.extension?.note == "Chờ số liệu")
        #expect(asked.event.params == ["due": .object(["before": .string("2024-11-30")]), "due_at": .string("2024-11-30T00:00:00+07:00")])
        #expect(asked.notify == [Cast.issuer])

        let twice = refusal("request_extension", asked.next, by: Cast.leadOfficer, params: ["due": .object(["before": .string("2024-12-30")])])
        #expect(twice?.code == .invalidTransition)

        let approved = try fire("approve_extension", asked.next, by: Cast.committee)
        #expect(approved.next.dueAt == wanted)
        #expect(approved.next.originalDueAt == Cast.due)
        #expect(approved.next.pending.extension == nil)
        #expect(approved.next.version == 3)
        #expect(approved.event.params == ["due_at": .string("2024-11-30T00:00:00+07:00"),
                                          "previous_due_at": .string("2024-11-15T00:00:00+07:00")])
        #expect(approved.notify == [Cast.lead])
        // Overdue is judged against the due time in force.
        let between = instant("2024-11-20T00:00:00+07:00")
        #expect(task.isOverdue(at: between, definition: engine.definition))
        #expect(!approved.next.isOverdue(at: between, definition: engine.definition))
        #expect(approved.next.isOverdue(at: wanted, definition: engine.definition))

        // A second extension must beat the one now in force; the original stays the first.
        let early = refusal("request_extension", approved.next, by: Cast.leadOfficer, params: ["due": .object(["on": .string("2024-11-28")])])
        #expect(early?.code == .validationFailed)
        #expect(early?.detail.contains("2024-11-30T00:00:00+07:00") == true)
        let again = try fire("request_extension", approved.next, by: Cast.leadOfficer, params: ["due": .object(["on": .string("2024-12-15")])])
        let approvedAgain = try fire("approve_extension", again.next, by: Cast.committee)
        #expect(approvedAgain.next.dueAt == instant("2024-12-16T00:00:00+07:00"))
        #expect(approvedAgain.next.originalDueAt == Cast.due)
    }

    @Test("reject_extension leaves the due time alone")
    func extensionRejected() throws {
        let asked = try fire("request_extension", Cast.task("acknowledged"), by: Cast.leadOfficer,
                             params: ["due": .object(["at": .string("2024-11-20T17:00:00+07:00")])])
        let rejected = try fire("reject_extension", asked.next, by: Cast.committee, note: "Không đủ lý do")
        #expect(rejected.next.dueAt == Cast.due)
        #expect(rejected.next.originalDueAt == nil)
        #expect(rejected.next.pending.extension == nil)
        #expect(rejected.event.note == "Không đủ lý do")
        #expect(rejected.notify == [Cast.lead])
    }

    @Test("working_days in an extension count from the request day on the real calendar")
    func extensionInWorkingDays() throws {
        var task = Cast.task("in_progress")
        task.dueAt = instant("2025-01-20T00:00:00+07:00")
        // Friday 24/01/2025, before Tết: the first working day after is Monday 03/02.
        let asked = try fire("request_extension", task, by: Cast.leadOfficer, params: ["due": .object(["working_days": .number(1)])],
                             at: instant("2025-01-24T15:00:00+07:00"))
        #expect(asked.next.pending.extension?.dueAt == instant("2025-02-04T00:00:00+07:00"))
        #expect(asked.event.params["due_at"] == .string("2025-02-04T00:00:00+07:00"))
    }

    @Test("a task without a due time can get one by extension")
    func extensionWithoutDue() throws {
        let asked = try fire("request_extension", Cast.task("in_progress", due: nil), by: Cast.leadOfficer,
                             params: ["due": .object(["before": .string("2020-01-01")])])
        let approved = try fire("approve_extension", asked.next, by: Cast.committee)
        #expect(approved.next.dueAt == instant("2020-01-01T00:00:00+07:00"))
        #expect(approved.next.originalDueAt == nil)
        #expect(approved.event.params["previous_due_at"] == .null)
    }

    @Test("close settles pending requests")
    func closeClearsPending() throws {
        var task = Cast.task("submitted")
        task.pending.extension = .init(due: .object(["before": .string("2024-12-01")]), dueAt: instant("2024-12-01T00:00:00+07:00"),
                                       by: "gd.canbo", at: Cast.t0, note: nil)
        let closed = try fire("close", task, by: Cast.committee)
        #expect(closed.next.pending == PendingRequests())
        #expect(closed.next.dueAt == Cast.due)
    }

    // MARK: parents

    @Test("a fan-out or recurring parent can only be reminded or cancelled")
    func parentTask() throws {
        let parent = TaskState(state: "assigned", lead: nil, dueAt: Cast.due, isParent: true)
        let reminded = try fire("remind", parent, by: Cast.monitorCoordinator)
        #expect(reminded.next.version == 2)
        #expect(reminded.notify.isEmpty, "no lead to tell")
        let cancelled = try fire("cancel", parent, by: Cast.committee, note: "Thu hồi kế hoạch")
        #expect(cancelled.next.state == "cancelled")
        for (name, params) in [("handoff", ["to": JSONValue.string(Cast.other)]), ("approve_extension", [:]), ("reject_handoff", [:])] {
            #expect(refusal(name, parent, by: Cast.committee, params: params)?.code == .invalidTransition, "\(name)")
        }
        #expect(refusal("acknowledge", parent, by: Cast.leadOfficer)?.code == .forbidden, "a parent has no lead officer")
    }

    // MARK: overdue

    @Test("overdue is derived: open and at or past the due time in force")
    func overdue() throws {
        let wf = try Fixture.task()
        let task = Cast.task("in_progress")
        #expect(!task.isOverdue(at: instant("2024-11-14T23:59:59+07:00"), definition: wf))
        #expect(task.isOverdue(at: instant("2024-11-15T00:00:00+07:00"), definition: wf))
        #expect(!Cast.task("in_progress", due: nil).isOverdue(at: instant("2030-01-01T00:00:00Z"), definition: wf))
        #expect(!Cast.task("closed").isOverdue(at: instant("2030-01-01T00:00:00Z"), definition: wf))
        #expect(!Cast.task("cancelled").isOverdue(at: instant("2030-01-01T00:00:00Z"), definition: wf))
    }

    @Test("the engine is pure: the same request gives the same outcome, the input is untouched")
    func pure() throws {
        let task = Cast.task()
        let a = try fire("acknowledge", task, by: Cast.leadOfficer)
        let b = try fire("acknowledge", task, by: Cast.leadOfficer)
        #expect(a == b)
        #expect(task == Cast.task())
    }

    @Test("pending requests round-trip through JSON")
    func pendingCodable() throws {
        let pending = PendingRequests(
            handoff: .init(to: Cast.other, by: "gd.canbo", at: Cast.t0, note: "x"),
            extension: .init(due: .object(["working_days": .number(5)]), dueAt: Cast.due, by: "gd.canbo", at: Cast.t0, note: nil))
        let text = pending.json.jsonText
        #expect(text.contains("\"due_at\""))
        #expect(try PendingRequests(json: JSONParser.parse(text)) == pending)
        #expect(pending != PendingRequests())
    }
}

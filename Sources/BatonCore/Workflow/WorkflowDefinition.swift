/// A state machine as data (`workflows/*.yaml`): states, transitions, who may fire each.
public struct WorkflowDefinition: Sendable, Hashable {
    public struct State: Sendable, Hashable {
        public let name: String
        /// The label in Vietnamese (`title`), and in English (`title_en`) when the file gives one.
        public let title: String
        public let titleEN: String?
        public let isFinal: Bool

        /// The label for people reading `language` (`vi` or `en`); Vietnamese when no other is written.
        public func title(in language: String) -> String { language == "en" ? titleEN ?? title : title }
    }

    /// How an actor relates to a task; transitions name the relations allowed to fire them.
    public enum Role: String, Sendable, Hashable, CaseIterable {
        /// An officer of the lead agency.
        case leadOfficer = "lead_officer"
        /// An officer of a cooperating agency.
        case cooperatingOfficer = "cooperating_officer"
        /// A committee member of the agency that issued the plan.
        case issuerCommittee = "issuer_committee"
        /// A coordinator of the agency that monitors or issued the plan.
        case coordinator
        /// Baton itself: timers.
        case system
    }

    /// What a transition does besides moving the state; the engine knows each one.
    public enum Effect: String, Sendable, Hashable, CaseIterable {
        case none
        /// The lead acknowledges receipt: sets `acknowledged_at`.
        case acknowledge
        /// A cooperating agency acknowledges its own part; the state does not change.
        case acknowledgePart = "acknowledge_part"
        /// Sets `closed_at` and the on-time verdict.
        case close
        /// Ends the task; on a fan-out or recurring parent, ends its open children too.
        case cancel
        /// Moves the lead to `params.to` at once.
        case moveLead = "move_lead"
        /// Records a request to move the lead to `params.to`; the state stays.
        case requestHandoff = "request_handoff"
        /// Grants the pending handoff: the lead moves.
        case approveHandoff = "approve_handoff"
        /// Refuses the pending handoff.
        case rejectHandoff = "reject_handoff"
        /// Records a request for a new due time `params.due`.
        case requestExtension = "request_extension"
        /// Grants the pending extension: the requested due time comes into force.
        case approveExtension = "approve_extension"
        /// Refuses the pending extension.
        case rejectExtension = "reject_extension"
        /// Urges the lead; notifies, changes nothing else.
        case remind
        /// The lead reports its result; with `contributions_before_submit`, only once every
        /// cooperating agency has contributed. The committee is told.
        case submit
        /// A cooperating agency submits its part (the note; `params.reference` may name a document).
        case contribute
        /// The lead raises a difficulty (khó khăn, vướng mắc) to the plan's monitor; the state stays.
        case raiseDifficulty = "raise_difficulty"
        /// The monitor or the committee answers the open difficulty.
        case answerDifficulty = "answer_difficulty"
    }

    public enum ParamType: String, Sendable, Hashable, CaseIterable {
        /// An agency code.
        case agency
        /// A due form of API.md.
        case due
        /// Free text.
        case text
    }

    public struct Param: Sendable, Hashable {
        public let name: String
        public let type: ParamType
        public let required: Bool
    }

    /// One way to fire a named transition: from these states, by these roles.
    public struct Transition: Sendable, Hashable {
        public let name: String
        /// The label in Vietnamese (`title`), and in English (`title_en`) when the file gives one.
        public let title: String
        public let titleEN: String?
        public let from: [String]
        /// The next state; nil leaves the state unchanged.
        public let to: String?
        public let by: [Role]
        public let noteRequired: Bool
        public let params: [Param]
        public let effect: Effect
        /// Where it is written, for messages.
        public let line: Int

        /// The label for people reading `language` (`vi` or `en`); Vietnamese when no other is written.
        public func title(in language: String) -> String { language == "en" ? titleEN ?? title : title }
    }

    /// Limits and behaviour the engine and the timers read.
    public struct Settings: Sendable, Hashable {
        /// Working days an agency has to acknowledge.
        public var acknowledgeWithin: Int = 2
        /// Reminders this many working days before the due time.
        public var remindBefore: [Int] = [3, 1]
        /// Escalate to the committee and the monitor after this many working days overdue.
        public var escalateAfter: Int = 3
        /// The lead may submit only when every cooperating agency has contributed.
        public var contributionsBeforeSubmit = false
        /// A fan-out parent closes itself when all its children are done and at least one closed.
        public var closeParentWhenChildrenClosed = true
        public init() {}
    }

    public let name: String
    public let title: String
    public let initial: String
    public let states: [State]
    public let transitions: [Transition]
    public let settings: Settings

    public init(name: String, title: String, initial: String, states: [State], transitions: [Transition], settings: Settings) {
        self.name = name
        self.title = title
        self.initial = initial
        self.states = states
        self.transitions = transitions
        self.settings = settings
    }

    public func state(_ name: String) -> State? { states.first { $0.name == name } }

    /// The state the first transition with `effect` leads to (`cancelled` for `.cancel` in task.yaml).
    public func target(of effect: Effect) -> String? { transitions.first { $0.effect == effect }?.to }

    /// True when `state` is final (or unknown, which is treated as closed to change).
    public func isFinal(_ state: String) -> Bool { self.state(state)?.isFinal ?? true }

    /// The distinct transition names, in the order written.
    public var transitionNames: [String] {
        var seen = Set<String>()
        return transitions.compactMap { seen.insert($0.name).inserted ? $0.name : nil }
    }
}

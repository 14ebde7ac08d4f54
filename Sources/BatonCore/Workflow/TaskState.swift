import Foundation

/// Everything about a task that a transition may read or change.
public struct TaskState: Sendable, Hashable {
    /// A cooperating agency and when it acknowledged its part.
    public struct Cooperator: Sendable, Hashable {
        public let agency: String
        public var acknowledgedAt: Date?
        public var acknowledgedLate: Bool?
        /// Its own limit, earlier than the lead's, when the plan sets one.
        public var dueAt: Date?
        public var contribution: Contribution?
        public init(agency: String, acknowledgedAt: Date? = nil, acknowledgedLate: Bool? = nil, dueAt: Date? = nil,
                    contribution: Contribution? = nil) {
            self.agency = agency
            self.acknowledgedAt = acknowledgedAt
            self.acknowledgedLate = acknowledgedLate
            self.dueAt = dueAt
            self.contribution = contribution
        }
    }

    /// A cooperating agency's part, submitted.
    public struct Contribution: Sendable, Hashable {
        public let at: Date
        public let note: String
        public let reference: String?
        /// Before the cooperating agency's own due time (nil when it has none).
        public let onTime: Bool?
        public init(at: Date, note: String, reference: String?, onTime: Bool?) {
            self.at = at
            self.note = note
            self.reference = reference
            self.onTime = onTime
        }
    }

    public var state: String
    /// The lead agency's code; nil for a fan-out parent.
    public var lead: String?
    public var cooperating: [Cooperator]
    /// The due time in force.
    public var dueAt: Date?
    /// The first due time, kept once an extension changes `dueAt`.
    public var originalDueAt: Date?
    public var acknowledgedAt: Date?
    /// The limit to acknowledge (the workflow's `acknowledge_within` working days from assignment).
    public var ackDueAt: Date?
    /// Set when acknowledged: whether it came after `ackDueAt`.
    public var acknowledgedLate: Bool?
    public var closedAt: Date?
    public var onTime: Bool?
    public var pending: PendingRequests
    public var version: Int
    /// A fan-out or recurring parent: only its children carry work.
    public var isParent: Bool
    /// A child of a fan-out or recurring parent: its final state may close the parent.
    public var isChild: Bool

    public init(state: String, lead: String?, cooperating: [Cooperator] = [], dueAt: Date? = nil, originalDueAt: Date? = nil,
                acknowledgedAt: Date? = nil, closedAt: Date? = nil, onTime: Bool? = nil,
                pending: PendingRequests = PendingRequests(), version: Int = 1, isParent: Bool = false,
                ackDueAt: Date? = nil, acknowledgedLate: Bool? = nil, isChild: Bool = false) {
        self.state = state
        self.lead = lead
        self.cooperating = cooperating
        self.dueAt = dueAt
        self.originalDueAt = originalDueAt
        self.acknowledgedAt = acknowledgedAt
        self.closedAt = closedAt
        self.onTime = onTime
        self.pending = pending
        self.version = version
        self.isParent = isParent
        self.isChild = isChild
        self.ackDueAt = ackDueAt
        self.acknowledgedLate = acknowledgedLate
    }

    /// Open and past the due time in force at `now`: derived, never stored.
    public func isOverdue(at now: Date, definition: WorkflowDefinition) -> Bool {
        Self.isOverdue(open: !definition.isFinal(state), dueAt: dueAt, at: now)
    }

    /// The rule itself, for a task read with its open flag (the SQL of lists and boards says the same).
    public static func isOverdue(open: Bool, dueAt: Date?, at now: Date) -> Bool {
        guard open, let dueAt else { return false }
        return now >= dueAt
    }
}

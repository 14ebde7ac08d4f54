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

    public init(state: String, lead: String?, cooperating: [Cooperator] = [], dueAt: Date? = nil, originalDueAt: Date? = nil,
                acknowledgedAt: Date? = nil, closedAt: Date? = nil, onTime: Bool? = nil,
                pending: PendingRequests = PendingRequests(), version: Int = 1, isParent: Bool = false,
                ackDueAt: Date? = nil, acknowledgedLate: Bool? = nil) {
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

/// Requests waiting for the committee: at most one handoff and one extension at a time.
public struct PendingRequests: Sendable, Hashable {
    public struct Handoff: Sendable, Hashable {
        public let to: String
        public let by: String
        public let at: Date
        public let note: String?
    }

    public struct Extension: Sendable, Hashable {
        public let due: JSONValue
        public let dueAt: Date
        public let by: String
        public let at: Date
        public let note: String?
    }

    /// A difficulty the lead raised, waiting for the monitor's or the committee's answer.
    public struct Difficulty: Sendable, Hashable {
        public let note: String
        public let by: String
        public let at: Date
    }

    public var handoff: Handoff?
    public var `extension`: Extension?
    public var difficulty: Difficulty?

    public init(handoff: Handoff? = nil, extension: Extension? = nil, difficulty: Difficulty? = nil) {
        self.handoff = handoff
        self.extension = `extension`
        self.difficulty = difficulty
    }


    /// As stored (`tasks.pending`): times in UTC, RFC 3339.
    public var json: JSONValue {
        let utc = TimeZone(identifier: "UTC")!
        var o: [String: JSONValue] = [:]
        if let h = handoff {
            o["handoff"] = .object(["to": .string(h.to), "by": .string(h.by), "at": .string(RFC3339.format(h.at, in: utc)),
                                    "note": h.note.map(JSONValue.string) ?? .null])
        }
        if let e = `extension` {
            o["extension"] = .object(["due": e.due, "due_at": .string(RFC3339.format(e.dueAt, in: utc)), "by": .string(e.by),
                                      "at": .string(RFC3339.format(e.at, in: utc)), "note": e.note.map(JSONValue.string) ?? .null])
        }
        if let d = difficulty {
            o["difficulty"] = .object(["note": .string(d.note), "by": .string(d.by), "at": .string(RFC3339.format(d.at, in: utc))])
        }
        return .object(o)
    }

    /// Reads what `json` wrote.
    public init(json: JSONValue) throws {
        func bad() -> BatonError { BatonError(.internalError, "a stored pending request is not readable") }
        func time(_ v: JSONValue?) throws -> Date {
            guard let s = v?.stringValue, let d = RFC3339.parse(s) else { throw bad() }
            return d
        }
        if let h = json["handoff"], !h.isNull {
            guard let to = h["to"]?.stringValue, let by = h["by"]?.stringValue else { throw bad() }
            handoff = Handoff(to: to, by: by, at: try time(h["at"]), note: h["note"]?.stringValue)
        }
        if let e = json["extension"], !e.isNull {
            guard let due = e["due"], let by = e["by"]?.stringValue else { throw bad() }
            `extension` = Extension(due: due, dueAt: try time(e["due_at"]), by: by, at: try time(e["at"]), note: e["note"]?.stringValue)
        }
        if let d = json["difficulty"], !d.isNull {
            guard let note = d["note"]?.stringValue, let by = d["by"]?.stringValue else { throw bad() }
            difficulty = Difficulty(note: note, by: by, at: try time(d["at"]))
        }
    }
}

/// Who is acting: a user with roles at an agency, or Baton's own timers.
public struct Actor: Sendable, Hashable {
    /// The roles a user can hold (`baton user add --role`).
    public enum UserRole: String, Sendable, Hashable, CaseIterable {
        case admin, committee, coordinator, officer, viewer
    }

    public let login: String
    /// The user's agency code; nil for an admin without one and for the system.
    public let agency: String?
    public let roles: Set<UserRole>
    public let isSystem: Bool

    public init(login: String, agency: String?, roles: Set<UserRole>) {
        self.login = login
        self.agency = agency
        self.roles = roles
        self.isSystem = false
    }

    private init(system login: String) {
        self.login = login
        self.agency = nil
        self.roles = []
        self.isSystem = true
    }

    /// Baton's timers.
    public static let system = Actor(system: "baton")
}

/// A plan's parties, as transitions need them.
public struct PlanParties: Sendable, Hashable {
    public let issuer: String
    public let monitor: String?
    /// For a plan made under another (cascade): the issuers and monitors of the plans above it,
    /// whose coordinators follow it too.
    public let above: [String]

    public init(issuer: String, monitor: String?, above: [String] = []) {
        self.issuer = issuer
        self.monitor = monitor
        self.above = above
    }
}

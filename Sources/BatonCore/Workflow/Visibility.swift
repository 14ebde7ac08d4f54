/// Who sees what (API.md), written once: the grounds each role gives for seeing a task, evaluated
/// here for one loaded task and rendered to SQL by the store (`Visibility+SQL.swift`) for lists,
/// the board, statistics and plans. What is not visible does not exist for the caller (404).
public struct Viewer: Sendable, Hashable {
    public let agencyID: Int64?
    public let roles: Set<Actor.UserRole>

    public init(agencyID: Int64?, roles: Set<Actor.UserRole>) {
        self.agencyID = agencyID
        self.roles = roles
    }

    /// A reason to see a task.
    public enum Ground: Sendable, Hashable, CaseIterable {
        /// An admin sees everything.
        case everything
        /// The viewer's agency issued the task's plan or a plan above it (cascading plans).
        case issuer
        /// The viewer's agency monitors the task's plan or a plan above it.
        case monitor
        /// The viewer's agency leads the task or is above its lead in the tree.
        case lead
        /// The viewer's agency cooperates on the task or is above a cooperating agency.
        case cooperating
        /// The task is a parent (fan-out, recurring) and the viewer's agency leads one of its
        /// children or is above that lead; such a viewer sees the parent and only those children.
        case childLead

        /// Whether the ground holds for every task of a plan: it then makes the plan itself visible.
        public var isPlanWide: Bool { [.everything, .issuer, .monitor].contains(self) }
    }

    /// The grounds this viewer's roles give: the whole rule.
    public var grounds: [Ground] {
        if roles.contains(.admin) { return [.everything] }
        guard agencyID != nil else { return [] }
        var grounds: [Ground] = []
        if roles.contains(.committee) || roles.contains(.coordinator) { grounds.append(.issuer) }
        if roles.contains(.coordinator) { grounds.append(.monitor) }
        if roles.contains(.officer) || roles.contains(.viewer) { grounds += [.lead, .cooperating, .childLead] }
        return grounds
    }

    /// What the grounds look at in one task; each path is an agency's ancestors then itself.
    public struct TaskParties: Sendable, Hashable {
        /// The lead agency's path; nil for a parent without a lead.
        public var leadPath: [Int64]?
        /// Each cooperating agency's path.
        public var cooperatorPaths: [[Int64]]
        /// For a parent, each child's lead path (when known; see `canSee(_:)`).
        public var childLeadPaths: [[Int64]]
        /// The agencies that issued the plan or a plan above it.
        public var overseers: [Int64]
        /// The agencies that monitor the plan or a plan above it.
        public var monitors: [Int64]

        public init(leadPath: [Int64]?, cooperatorPaths: [[Int64]], childLeadPaths: [[Int64]] = [], overseers: [Int64], monitors: [Int64]) {
            self.leadPath = leadPath
            self.cooperatorPaths = cooperatorPaths
            self.childLeadPaths = childLeadPaths
            self.overseers = overseers
            self.monitors = monitors
        }
    }

    /// Whether `ground` holds for this viewer and `task` (whether or not the viewer's roles give it).
    public func holds(_ ground: Ground, for task: TaskParties) -> Bool {
        if ground == .everything { return true }
        guard let me = agencyID else { return false }
        switch ground {
        case .everything: return true
        case .issuer: return task.overseers.contains(me)
        case .monitor: return task.monitors.contains(me)
        case .lead: return task.leadPath?.contains(me) == true
        case .cooperating: return task.cooperatorPaths.contains { $0.contains(me) }
        case .childLead: return task.childLeadPaths.contains { $0.contains(me) }
        }
    }

    /// Whether the viewer sees the task on any ground its roles give.
    public func canSee(_ task: TaskParties) -> Bool {
        grounds.contains { holds($0, for: task) }
    }

    /// Whether the viewer sees a notification addressed to `agency`: its own agency's inbox only.
    public func seesNotification(addressedTo agency: Int64) -> Bool {
        agencyID == agency
    }
}

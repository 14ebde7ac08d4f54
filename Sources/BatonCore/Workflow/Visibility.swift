/// Who sees what (API.md): a task is visible, or it does not exist for the caller.
public struct Viewer: Sendable, Hashable {
    public let agencyID: Int64?
    public let roles: Set<Actor.UserRole>
    public init(agencyID: Int64?, roles: Set<Actor.UserRole>) {
        self.agencyID = agencyID
        self.roles = roles
    }

    /// - Parameters:
    ///   - leadPath: the lead agency's ancestors then itself; nil for a parent without a lead.
    ///   - cooperatorPaths: each cooperating agency's path.
    ///   - overseers: the agencies that issued the plan or a plan above it (cascading plans).
    ///   - monitors: the agencies that monitor the plan or a plan above it.
    public func canSee(leadPath: [Int64]?, cooperatorPaths: [[Int64]], overseers: [Int64], monitors: [Int64]) -> Bool {
        if roles.contains(.admin) { return true }
        guard let me = agencyID else { return false }
        if roles.contains(.committee) && overseers.contains(me) { return true }
        if roles.contains(.coordinator) && (overseers.contains(me) || monitors.contains(me)) { return true }
        if roles.contains(.officer) || roles.contains(.viewer) {
            if leadPath?.contains(me) == true { return true }
            if cooperatorPaths.contains(where: { $0.contains(me) }) { return true }
        }
        return false
    }
}

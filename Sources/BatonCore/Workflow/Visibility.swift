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
    ///   - issuer: the plan's issuing agency; `monitor` the agency that monitors it.
    public func canSee(leadPath: [Int64]?, cooperatorPaths: [[Int64]], issuer: Int64, monitor: Int64?) -> Bool {
        if roles.contains(.admin) { return true }
        guard let me = agencyID else { return false }
        if roles.contains(.committee) && issuer == me { return true }
        if roles.contains(.coordinator) && (issuer == me || monitor == me) { return true }
        if roles.contains(.officer) || roles.contains(.viewer) {
            if leadPath?.contains(me) == true { return true }
            if cooperatorPaths.contains(where: { $0.contains(me) }) { return true }
        }
        return false
    }
}

import BatonCore

/// An authenticated user, as every request carries it.
public struct Principal: Sendable, Hashable {
    public let userID: Int64
    public let login: String
    public let agencyID: Int64?
    public let agency: String?
    public let agencyName: String?
    public let roles: Set<Actor.UserRole>

    public init(userID: Int64, login: String, agencyID: Int64?, agency: String?, agencyName: String?, roles: Set<Actor.UserRole>) {
        self.userID = userID
        self.login = login
        self.agencyID = agencyID
        self.agency = agency
        self.agencyName = agencyName
        self.roles = roles
    }

    public var actor: Actor { Actor(login: login, agency: agency, roles: roles) }
    public var viewer: Viewer { Viewer(agencyID: agencyID, roles: roles) }
    public var isAdmin: Bool { roles.contains(.admin) }
    public func has(_ role: Actor.UserRole) -> Bool { roles.contains(role) }

    /// Plans are issued (created, previewed, imported) by committee members only.
    public func mayIssuePlans() throws {
        guard has(.committee) else { throw BatonError(.forbidden, "only a committee member issues plans") }
    }
}

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

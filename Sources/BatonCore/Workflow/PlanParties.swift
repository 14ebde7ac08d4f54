import Foundation

/// A plan's parties, as transitions need them.
public struct PlanParties: Sendable, Hashable {
    public let issuer: String
    public let monitor: String?
    /// For a plan made under another (cascade): the issuers and monitors of the plans above it,
    /// whose coordinators follow it too.
    public let above: [String]
    /// For a plan made under another task: that task's due time, which no due time of this plan may pass.
    public let deliversBy: Date?

    public init(issuer: String, monitor: String?, above: [String] = [], deliversBy: Date? = nil) {
        self.issuer = issuer
        self.monitor = monitor
        self.above = above
        self.deliversBy = deliversBy
    }
}

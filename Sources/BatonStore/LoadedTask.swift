import BatonCore
import Foundation

/// A task with what the store needs to check visibility and run transitions.
struct LoadedTask: Sendable {
    var record: TaskRecord
    let workflowID: Int64
    let leadID: Int64?
    let leadPath: [Int64]?
    let cooperatorPaths: [[Int64]]
    let overseers: [Int64]
    let monitors: [Int64]
    let issuer: String
    let monitor: String?
    /// Codes of the issuers and monitors of the plans above this one.
    let above: [String]
    let calendar: String
    let seq: Int
    let now: Date
    /// For a task of a plan made under another task: that task's due time, which this one may not pass.
    let limit: Date?

    var state: TaskState { record.current }
    var zone: TimeZone { record.zone }
    var dueAt: Date? { record.current.dueAt }
    var isLeaf: Bool { !record.current.isParent }

    var parties: PlanParties { PlanParties(issuer: issuer, monitor: monitor, above: above, deliversBy: limit) }

    /// The record after a change was written: the engine's next state is what the write stored.
    func record(after next: TaskState, open: Bool) -> TaskRecord {
        var r = record
        r.current = next
        r.open = open
        r.updatedAt = ZonedTime(now, zone)
        r.children = nil
        return r
    }

    func visible(to who: Principal) -> Bool {
        who.viewer.canSee(Viewer.TaskParties(leadPath: leadPath, cooperatorPaths: cooperatorPaths, overseers: overseers, monitors: monitors))
    }
}

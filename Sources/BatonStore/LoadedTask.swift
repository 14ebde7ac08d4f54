import BatonCore
import Foundation

/// A task with what the store needs to check visibility and run transitions.
struct LoadedTask: Sendable {
    var record: TaskRecord
    let workflowID: Int64
    let leadID: Int64?
    let leadPath: [Int64]?
    let cooperatorPaths: [[Int64]]
    let cooperatorAcks: [TaskState.Cooperator]
    let overseers: [Int64]
    let monitors: [Int64]
    let issuer: String
    let monitor: String?
    /// Codes of the issuers and monitors of the plans above this one.
    let above: [String]
    let zone: TimeZone
    let calendar: String
    let pending: PendingRequests
    let dueAt: Date?
    let originalDueAt: Date?
    let acknowledgedAt: Date?
    let ackDueAt: Date?
    let closedAt: Date?
    let isLeaf: Bool
    let seq: Int
    let now: Date
    /// For a task of a plan made under another task: that task's due time, which this one may not pass.
    let limit: Date?

    var state: TaskState {
        TaskState(state: record.state, lead: record.lead, cooperating: cooperatorAcks, dueAt: dueAt, originalDueAt: originalDueAt,
                  acknowledgedAt: acknowledgedAt, closedAt: closedAt, onTime: record.onTime, pending: pending, version: record.version,
                  isParent: !isLeaf, ackDueAt: ackDueAt, acknowledgedLate: record.acknowledgedLate,
                  isChild: record.parentID != nil)
    }

    var parties: PlanParties { PlanParties(issuer: issuer, monitor: monitor, above: above, deliversBy: limit) }

    /// The record after a change was written: what the database now holds, without reading it again.
    func record(after next: TaskState, open: Bool) -> TaskRecord {
        func z(_ d: Date?) -> ZonedTime? { d.map { ZonedTime($0, zone) } }
        var r = record
        r = TaskRecord(
            id: r.id, planID: r.planID, kind: r.kind, parentID: r.parentID, key: r.key, title: r.title, description: r.description,
            workflow: r.workflow, workflowVersion: r.workflowVersion, state: next.state, open: open, lead: next.lead,
            fanout: r.fanout, recurrence: r.recurrence,
            cooperating: next.cooperating.map { c in
                TaskRecord.Cooperating(agency: c.agency, acknowledgedAt: z(c.acknowledgedAt), acknowledgedLate: c.acknowledgedLate,
                                       dueAt: z(c.dueAt), contribution: c.contribution, zone: zone)
            },
            due: r.due, dueAt: z(next.dueAt), originalDueAt: z(next.originalDueAt),
            overdue: TaskState.isOverdue(open: open, dueAt: next.dueAt, at: now), acknowledgedAt: z(next.acknowledgedAt),
            ackDueAt: z(next.ackDueAt), acknowledgedLate: next.acknowledgedLate, closedAt: z(next.closedAt), onTime: next.onTime, pending: BatonStore.pendingJSON(next.pending, zone: zone),
            version: next.version, createdAt: r.createdAt, updatedAt: ZonedTime(now, zone), children: nil)
        return r
    }

    func visible(to who: Principal) -> Bool {
        who.viewer.canSee(Viewer.TaskParties(leadPath: leadPath, cooperatorPaths: cooperatorPaths, overseers: overseers, monitors: monitors))
    }
}

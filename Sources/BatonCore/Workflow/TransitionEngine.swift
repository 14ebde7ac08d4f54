import Foundation

/// What a transition decided: everything the store writes, and nothing it must work out itself.
public struct TransitionOutcome: Sendable, Hashable {
    public let transition: WorkflowDefinition.Transition
    public let next: TaskState
    /// Whether the task is still open after it (its next state is not final).
    public let open: Bool
    public let event: EventDraft
    /// Agencies to notify about this change.
    public let notify: [String]
    /// The agency that leads after the change, when it changed.
    public let newLead: String?
    /// The agency the change gives work to (a new lead, or the one a handoff is asked for): it
    /// must be an agency that can take new work.
    public let namedAgency: String?
    /// The timers of a new due time in force (reminders, overdue mark, escalation); none when
    /// the due time did not change or the task is a parent.
    public let timers: [TimerPlan.Timer]
    /// The change reaches the children of a parent (a cancel or a reminder of a fan-out).
    public let reachesChildren: Bool
    /// The change reaches the parent of a child (its final state may close the parent, or open
    /// the next occurrence of a recurring task).
    public let reachesParent: Bool
}

/// An event before it is stored.
public struct EventDraft: Sendable, Hashable {
    public let name: String
    public let from: String
    public let to: String
    public let note: String?
    public let params: [String: JSONValue]
}

/// Decides transitions. Pure: no clock, no database; everything it needs is an argument.
public struct TransitionEngine: Sendable {
    public let definition: WorkflowDefinition
    /// The plan's zone and calendar, for due forms in parameters.
    public let deadlines: DeadlineContext

    public init(definition: WorkflowDefinition, deadlines: DeadlineContext) {
        self.definition = definition
        self.deadlines = deadlines
    }

    /// The roles `actor` holds on a task of a plan with these parties.
    public static func roles(of actor: Actor, task: TaskState, parties: PlanParties) -> Set<WorkflowDefinition.Role> {
        if actor.isSystem { return [.system] }
        var roles = Set<WorkflowDefinition.Role>()
        guard let agency = actor.agency else { return roles }
        if actor.roles.contains(.officer) {
            if task.lead == agency { roles.insert(.leadOfficer) }
            if task.cooperating.contains(where: { $0.agency == agency }) { roles.insert(.cooperatingOfficer) }
        }
        if actor.roles.contains(.committee), parties.issuer == agency { roles.insert(.issuerCommittee) }
        if actor.roles.contains(.coordinator), parties.issuer == agency || parties.monitor == agency || parties.above.contains(agency) {
            roles.insert(.coordinator)
        }
        return roles
    }

    /// Decides whether `actor` may fire `request` on `task` at `now`, and what follows.
    ///
    /// Errors: unknown transition or bad note/params → `validation_failed`; the actor holds no
    /// role for it → `forbidden`; not allowed from the current state, or a request already
    /// pending / none pending → `invalid_transition`.
    public func decide(_ request: TransitionRequest, task: TaskState, parties: PlanParties, actor: Actor, now: Date) throws -> TransitionOutcome {
        let named = definition.transitions.filter { $0.name == request.name }
        guard !named.isEmpty else {
            throw BatonError.invalid("name", "unknown transition '\(request.name)'; the \(definition.name) workflow has \(definition.transitionNames.joined(separator: ", "))")
        }
        let held = Self.roles(of: actor, task: task, parties: parties)
        let mine = named.filter { !held.isDisjoint(with: $0.by) }
        guard !mine.isEmpty else {
            let who = Set(named.flatMap(\.by)).map(\.rawValue).sorted().joined(separator: " or ")
            throw BatonError(.forbidden, "only the \(who) may \(request.name) this task")
        }
        guard let rule = mine.first(where: { $0.from.contains(task.state) }) else {
            throw BatonError(.invalidTransition, "cannot \(request.name) a task that is \(task.state)")
        }
        if task.isParent && ![.cancel, .remind].contains(rule.effect) {
            throw BatonError(.invalidTransition, "a parent task only groups its children: \(request.name) them one by one (a parent can be reminded or cancelled)")
        }
        let note = request.note?.trimmingCharacters(in: .whitespacesAndNewlines)
        if rule.noteRequired && (note ?? "").isEmpty {
            throw BatonError.invalid("note", "a note is required to \(request.name)")
        }
        let params = try checkParams(request.params, rule)

        var next = task
        next.version += 1
        if let to = rule.to { next.state = to }
        var eventParams = params
        var notify: [String] = []
        let actorAgency = actor.agency

        switch rule.effect {
        case .none:
            break
        case .acknowledge:
            next.acknowledgedAt = now
            if let limit = task.ackDueAt {
                next.acknowledgedLate = now > limit
                if now > limit { eventParams["late"] = .bool(true) }
            }
        case .acknowledgePart:
            guard let i = next.cooperating.firstIndex(where: { $0.agency == actorAgency }) else {
                throw BatonError(.forbidden, "only a cooperating agency acknowledges its part")
            }
            guard next.cooperating[i].acknowledgedAt == nil else {
                throw BatonError(.invalidTransition, "\(actorAgency ?? "") has already acknowledged its part")
            }
            next.cooperating[i].acknowledgedAt = now
            eventParams["agency"] = .string(actorAgency ?? "")
            if let limit = task.ackDueAt {
                next.cooperating[i].acknowledgedLate = now > limit
                if now > limit { eventParams["late"] = .bool(true) }
            }
        case .close:
            next.closedAt = now
            next.onTime = task.dueAt.map { now < $0 }
            next.pending = PendingRequests()
        case .cancel:
            next.pending = PendingRequests()
        case .moveLead:
            let to = params["to"]!.stringValue!
            try moveLead(&next, to: to, now: now)
            eventParams["from"] = task.lead.map(JSONValue.string) ?? .null
            notify.append(to)
        case .requestHandoff:
            let to = params["to"]!.stringValue!
            guard to != task.lead else { throw BatonError.invalid("params.to", "\(to) already leads this task") }
            guard task.pending.handoff == nil else {
                throw BatonError(.invalidTransition, "a handoff to \(task.pending.handoff!.to) is already waiting for the committee")
            }
            next.pending.handoff = .init(to: to, by: actor.login, at: now, note: note)
            notify.append(parties.issuer)
        case .approveHandoff:
            guard let pending = task.pending.handoff else { throw BatonError(.invalidTransition, "no handoff is waiting to be approved") }
            try moveLead(&next, to: pending.to, now: now)
            eventParams["from"] = task.lead.map(JSONValue.string) ?? .null
            eventParams["to"] = .string(pending.to)
            notify.append(pending.to)
        case .rejectHandoff:
            guard let pending = task.pending.handoff else { throw BatonError(.invalidTransition, "no handoff is waiting to be rejected") }
            next.pending.handoff = nil
            eventParams["to"] = .string(pending.to)
        case .requestExtension:
            guard task.pending.extension == nil else {
                throw BatonError(.invalidTransition, "an extension is already waiting for the committee")
            }
            let form = try DueForm(json: params["due"]!, field: "params.due")
            guard !form.isRecurring else { throw BatonError.invalid("params.due", "an extension needs one due time, not a recurrence") }
            let start = LocalDate(containing: now, in: deadlines.zone)
            let dueAt = try deadlines.resolve(form, startDay: start, now: now)
            if let current = task.dueAt, dueAt <= current {
                throw BatonError.invalid("params.due", "the new due time must be later than the one in force (\(RFC3339.format(current, in: deadlines.zone)))")
            }
            next.pending.extension = .init(due: form.json(in: deadlines.zone), dueAt: dueAt, by: actor.login, at: now, note: note)
            eventParams["due_at"] = .string(RFC3339.format(dueAt, in: deadlines.zone))
            notify.append(parties.issuer)
        case .approveExtension:
            guard let pending = task.pending.extension else { throw BatonError(.invalidTransition, "no extension is waiting to be approved") }
            if next.originalDueAt == nil { next.originalDueAt = task.dueAt }
            next.dueAt = pending.dueAt
            next.pending.extension = nil
            eventParams["due_at"] = .string(RFC3339.format(pending.dueAt, in: deadlines.zone))
            eventParams["previous_due_at"] = task.dueAt.map { .string(RFC3339.format($0, in: deadlines.zone)) } ?? .null
        case .rejectExtension:
            guard task.pending.extension != nil else { throw BatonError(.invalidTransition, "no extension is waiting to be rejected") }
            next.pending.extension = nil
        case .remind:
            break
        case .submit:
            let missing = task.cooperating.filter { $0.contribution == nil }.map(\.agency)
            if definition.settings.contributionsBeforeSubmit && !missing.isEmpty {
                throw BatonError(.invalidTransition, "waiting for the contributions of \(missing.joined(separator: ", "))")
            }
            notify.append(parties.issuer)
        case .contribute:
            guard let i = next.cooperating.firstIndex(where: { $0.agency == actorAgency }) else {
                throw BatonError(.forbidden, "only a cooperating agency contributes its part")
            }
            guard next.cooperating[i].contribution == nil else {
                throw BatonError(.invalidTransition, "\(actorAgency ?? "") has already contributed its part")
            }
            // Its own due time, else the task's: what statistics judge the part by too.
            let due = next.cooperating[i].dueAt ?? task.dueAt
            next.cooperating[i].contribution = TaskState.Contribution(at: now, note: note ?? "", reference: params["reference"]?.stringValue,
                                                                      onTime: due.map { now < $0 })
            if next.cooperating[i].acknowledgedAt == nil { next.cooperating[i].acknowledgedAt = now }
            eventParams["agency"] = .string(actorAgency ?? "")
            if let due, now >= due { eventParams["late"] = .bool(true) }
        case .raiseDifficulty:
            guard task.pending.difficulty == nil else {
                throw BatonError(.invalidTransition, "a difficulty is already waiting for an answer")
            }
            next.pending.difficulty = .init(note: note ?? "", by: actor.login, at: now)
            notify.append(contentsOf: [parties.monitor ?? parties.issuer, parties.issuer])
        case .answerDifficulty:
            guard let open = task.pending.difficulty else { throw BatonError(.invalidTransition, "no difficulty is waiting for an answer") }
            next.pending.difficulty = nil
            eventParams["question"] = .string(open.note)
        }


        // No due time of a plan made under another task may pass that task's.
        let asked = rule.effect == .requestExtension ? next.pending.extension?.dueAt : next.dueAt
        if let due = asked, due != task.dueAt, let limit = parties.deliversBy, due > limit {
            throw BatonError.invalid("params.due", "is later than the due time of the task this plan delivers (\(RFC3339.format(limit, in: deadlines.zone)))")
        }

        // Whoever did not act is told: the lead, its cooperating agencies, per effect above.
        notify = notify.reduce(into: []) { if $1 != actorAgency && !$0.contains($1) { $0.append($1) } }
        if let lead = next.lead, lead != actorAgency, !notify.contains(lead) { notify.append(lead) }
        if [.moveLead, .approveHandoff].contains(rule.effect), let old = task.lead, old != actorAgency, !notify.contains(old) {
            notify.append(old)  // the agency that no longer leads
        }
        if [.cancel, .moveLead, .approveHandoff].contains(rule.effect) {
            for c in task.cooperating where c.agency != actorAgency && !notify.contains(c.agency) { notify.append(c.agency) }
        }
        let event = EventDraft(name: request.name, from: task.state, to: next.state, note: note?.isEmpty == true ? nil : note, params: eventParams)
        let final = definition.isFinal(next.state)
        var timers: [TimerPlan.Timer] = []
        if let due = next.dueAt, due != task.dueAt, !task.isParent {
            timers = TimerPlan(dueAt: due, deadlines: deadlines, settings: definition.settings, after: now).timers
        }
        let newLead = next.lead != task.lead ? next.lead : nil
        return TransitionOutcome(transition: rule, next: next, open: !final, event: event, notify: notify, newLead: newLead,
                                 namedAgency: newLead ?? (rule.effect == .requestHandoff ? next.pending.handoff?.to : nil),
                                 timers: timers, reachesChildren: task.isParent && [.cancel, .remind].contains(rule.effect),
                                 reachesParent: task.isChild && final)
    }

    /// The new lead acknowledges anew, with a fresh limit from today.
    private func moveLead(_ next: inout TaskState, to: String, now: Date) throws {
        guard to != next.lead else { throw BatonError.invalid("params.to", "\(to) already leads this task") }
        next.lead = to
        next.acknowledgedAt = nil
        next.acknowledgedLate = nil
        next.ackDueAt = deadlines.acknowledgeBy(assignedAt: now, within: definition.settings.acknowledgeWithin)
        next.cooperating.removeAll { $0.agency == to }
        next.pending.handoff = nil
    }

    private func checkParams(_ given: [String: JSONValue], _ rule: WorkflowDefinition.Transition) throws -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for key in given.keys where !rule.params.contains(where: { $0.name == key }) {
            let known = rule.params.map(\.name)
            throw BatonError.invalid("params.\(key)", known.isEmpty ? "\(rule.name) takes no parameters" : "\(rule.name) takes only \(known.joined(separator: ", "))")
        }
        for p in rule.params {
            guard let v = given[p.name], !v.isNull else {
                if p.required { throw BatonError.invalid("params.\(p.name)", "is required to \(rule.name)") }
                continue
            }
            switch p.type {
            case .agency, .text:
                guard let s = v.stringValue, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw BatonError.invalid("params.\(p.name)", "must be \(p.type == .agency ? "an agency code" : "text")")
                }
                out[p.name] = .string(s)
            case .due:
                _ = try DueForm(json: v, field: "params.\(p.name)")
                out[p.name] = v
            }
        }
        return out
    }
}

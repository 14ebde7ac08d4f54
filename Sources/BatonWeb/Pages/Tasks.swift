import BatonCore
import BatonStore
import Foundation
import HTTPTypes
import Hummingbird

/// The officer's pages: the unit's tasks in groups, a task with its history and the transitions the
/// person may fire now, and the inbox.
extension WebPages {
    /// The groups of the officer's list, in the order they are shown; a task is in the first that holds it.
    enum Group: String, CaseIterable {
        case overdue, unacknowledged, dueSoon = "due_soon", inProgress = "in_progress", awaiting
    }

    /// `/tasks`: the tasks the person's agency (or `?agency=`, for a coordinator following one) leads
    /// or cooperates on, open or awaiting a decision.
    func tasksPage(_ call: PageCall) async throws -> PageResponse {
        let t = call.t
        guard let agency = call.query("agency") ?? call.who.agency else { return .redirect("/plans") }
        var filter = TaskFilter()
        filter.agency = agency
        filter.kind = "task"
        filter.open = true
        filter.plan = call.query("plan").flatMap(UUID.init(uuidString:))
        async let fetched = store.tasks(filter, for: call.who, page: Page(limit: Page.maxLimit))
        async let clock = store.now()
        let (tasks, now) = try await (fetched.items, clock)
        let plans = try await store.planTitles(ids: tasks.map(\.planID))
        let names = try await store.agencyNames(codes: [agency])
        var workflows = Workflows(store: store)
        var groups: [Group: [[String: Any]]] = [:]
        // Sorted by due time through a key computed once per task (a task's fields are computed on access).
        let byDue = tasks.map { (due: $0.dueAt?.date ?? .distantFuture, task: $0) }.sorted { $0.due < $1.due }.map(\.task)
        var awaiting: [String: Set<String>] = [:]
        for task in byDue {
            let definition = try await workflows.named(task.workflow)
            if awaiting[task.workflow] == nil { awaiting[task.workflow] = definition.decisionStates }
            let mine = task.cooperating.first { $0.agency == agency }
            let group: Group
            if awaiting[task.workflow]!.contains(task.state) {
                group = .awaiting
            } else if task.overdue {
                group = .overdue
            } else if task.lead == agency ? task.state == definition.initial : mine?.acknowledgedAt == nil {
                group = .unacknowledged
            } else if let due = task.dueAt, due.date.timeIntervalSince(now) < 7 * 86400 {
                group = .dueSoon
            } else {
                group = .inProgress
            }
            groups[group, default: []].append(taskItem(task, definition: definition, agency: agency, plan: plans[task.planID]?.number, now: now, t))
        }
        let unread = call.who.agency == agency ? try await store.notifications(for: call.who, unreadOnly: true, page: Page(limit: 5)).items : []
        let name = names[agency] ?? agency
        return try call.render("tasks", title: agency == call.who.agency ? t.text("tasks.title") : t.text("tasks.of_agency", ["agency": name]), [
            "subtitle": t.text("tasks.subtitle", ["agency": name]),
            "groups": Group.allCases.map { g in
                ["key": g.rawValue, "label": t.text("groups.\(g.rawValue)"), "items": groups[g] ?? [], "count": groups[g]?.count ?? 0,
                 "empty": (groups[g] ?? []).isEmpty, "warn": g == .overdue && !(groups[g] ?? []).isEmpty] as [String: Any]
            },
            "unread": unread.map { notificationItem($0, t) }, "has_unread": !unread.isEmpty,
        ])
    }

    func taskItem(_ task: TaskRecord, definition: WorkflowDefinition, agency: String?, plan: String?, now: Date, _ t: Catalogue) -> [String: Any] {
        [
            "href": "/tasks/\(task.id.lower)", "title": task.title, "plan": plan ?? "",
            "role": task.lead == agency || agency == nil ? t.text("tasks.role_lead") : t.text("tasks.role_cooperating"),
            "state": definition.state(task.state)?.title(in: t.language) ?? task.state,
            "due": Format.due(task.due, dueAt: task.dueAt, t),
            "remaining": Format.remaining(task.open ? task.dueAt : nil, now: now, t) ?? "", "overdue": task.overdue,
        ]
    }

    /// `/tasks/{id}`: what, who, when, the history, the parts, and a form for each transition the person may fire now.
    func taskPage(_ call: PageCall, errors: [String: (field: String, message: String)] = [:], status: HTTPResponse.Status = .ok) async throws -> PageResponse {
        let t = call.t
        let id = try call.id()
        async let eventsRead = store.events(taskID: id, for: call.who, page: Page(limit: Page.maxLimit))
        async let choicesRead = store.transitionChoices(taskID: id, for: call.who, children: true)
        async let clock = store.now()
        let (events, (task, definition, choices), now) = try await (eventsRead.items, choicesRead, clock)
        let heading = try await store.planHeading(id: task.planID)
        let plan = heading.plan
        var codes = task.cooperating.map(\.agency) + events.compactMap(\.agency) + (task.children ?? []).compactMap(\.lead)
        if let lead = task.lead { codes.append(lead) }
        let pending = task.pending
        if let to = pending["handoff"]?["to"]?.stringValue { codes.append(to) }
        let names = try await store.agencyNames(codes: codes)
        func name(_ code: String?) -> String { code.map { names[$0] ?? $0 } ?? "" }
        let notices = Format.pendingNotices(pending, names: names, t)
        let forms: [[String: Any]] = choices.map { rule in
            let error = errors[rule.name]
            return [
                "name": rule.name, "label": rule.title(in: t.language), "note_required": rule.noteRequired,
                "primary": rule.to != nil && rule.effect != .cancel, "danger": rule.effect == .cancel,
                "error": error?.message as Any,
                "note_error": error?.field == "note", "params": rule.params.map { p in
                    ["pname": p.name, "agency": p.type == .agency, "due": p.type == .due, "text": p.type == .text, "required": p.required,
                     "plabel": p.type == .agency ? t.text("task.handoff_to") : p.type == .due ? t.text("task.new_due") : t.text("task.reference"),
                     "perror": error?.field == "params.\(p.name)", "due_kinds": Self.dueKinds(t, allowRecurring: false)] as [String: Any]
                },
            ]
        }
        var indicators: [[String: Any]] = []
        if task.lead == call.who.agency || task.cooperating.contains(where: { $0.agency == call.who.agency }) {
            indicators = heading.indicators.map { ["key": $0.key, "name": $0.name, "unit": $0.unit] }
        }
        return try call.render("task", title: task.title, [
            "task": [
                "id": task.id.lower, "title": task.title, "description": task.description ?? "", "version": task.version,
                "state": definition.state(task.state)?.title(in: t.language) ?? task.state,
                "lead": task.lead.map { name($0) } ?? "",
                "due": Format.due(task.due, dueAt: task.dueAt, t), "due_at": task.dueAt.map(Format.dateTime) ?? t.text("common.no_due"),
                "original_due": task.originalDueAt.map(Format.dateTime) ?? "",
                "remaining": Format.remaining(task.open ? task.dueAt : nil, now: now, t) ?? "", "overdue": task.overdue,
                "plan": ["number": plan.number, "title": plan.title, "href": "/plans/\(plan.id.lower)"],
                "parent_href": task.parentID.map { "/tasks/\($0.lower)" } as Any,
            ] as [String: Any],
            "notices": notices,
            "cooperating": task.cooperating.map { c in
                ["agency": name(c.agency), "acknowledged": c.acknowledgedAt.map(Format.dateTime) as Any,
                 "due": c.dueAt.map(Format.dateTime) ?? "", "contribution": c.contribution?.note ?? "",
                 "contributed": c.contribution.map { Format.dateTime(ZonedTime($0.at, task.createdAt.zone)) } ?? "",
                 "reference": c.contribution?.reference ?? ""] as [String: Any]
            },
            "has_cooperating": !task.cooperating.isEmpty,
            "children": (task.children ?? []).map { c in
                ["href": "/tasks/\(c.id.lower)", "agency": name(c.lead), "state": definition.state(c.state)?.title(in: t.language) ?? c.state,
                 "due": c.dueAt.map(Format.date) ?? "", "overdue": c.overdue] as [String: Any]
            },
            "has_children": !(task.children ?? []).isEmpty,
            "events": events.map { e in
                ["at": Format.dateTime(e.at), "actor": e.actor, "agency": name(e.agency),
                 "name": definition.transitions.first { $0.name == e.name }?.title(in: t.language) ?? t.text("notifications.kinds.\(e.name)"),
                 "to": e.to.flatMap { definition.state($0)?.title(in: t.language) } ?? "", "note": e.note ?? ""] as [String: Any]
            },
            "forms": forms, "has_forms": !forms.isEmpty,
            "error_top": errors.first { e in !choices.contains { $0.name == e.key } }?.value.message as Any, "indicators": indicators, "has_indicators": !indicators.isEmpty,
            "can_report_incident": call.who.has(.officer),
            "period_default": "\(LocalDate(containing: now, in: task.createdAt.zone).year)",
        ], status: status)
    }

    /// The choices of a due-form picker, in plain words.
    static func dueKinds(_ t: Catalogue, allowRecurring: Bool, selected: String = "before") -> [[String: Any]] {
        (["before", "on", "working_days"] + (allowRecurring ? ["yearly_before", "none"] : [])).map {
            ["value": $0, "label": t.text("due.\($0)"), "selected": $0 == selected]
        }
    }

    /// POST `/tasks/{id}/transitions`: fires the chosen transition; a mistake comes back beside its field.
    func fireTransition(_ call: PageCall) async throws -> PageResponse {
        let id = try call.id()
        guard let name = call.form["name"] else { throw BatonError.invalid("name", "is required") }
        do {
            var params: [String: JSONValue] = [:]
            if let to = call.form["params.to"] { params["to"] = .string(AgencyInput.code(to)) }
            if let reference = call.form["params.reference"] { params["reference"] = .string(reference) }
            if call.form["params.due.kind"] != nil { params["due"] = try DueInput.read(call.form, prefix: "params.due") }
            // The same request type, and so the same checks, as the JSON API.
            var body: [String: JSONValue] = ["name": .string(name), "params": .object(params)]
            if let note = call.form.raw("note") { body["note"] = .string(note) }
            let request = try TransitionRequest(json: .object(body))
            _ = try await store.transition(taskID: id, request: request, ifMatch: call.form["version"].flatMap(Int.init), by: call.who)
        } catch let error as BatonError where [.validationFailed, .invalidTransition, .versionConflict, .forbidden].contains(error.code) {
            let status: HTTPResponse.Status = error.code == .validationFailed ? .unprocessableContent : error.code == .forbidden ? .forbidden : .conflict
            return try await taskPage(call, errors: [name: (PageCall.formField(error.field), call.message(for: error))], status: status)
        }
        return .redirect(Self.localPath(call.form["back"]) ?? "/tasks/\(id.lower)?msg=done")
    }

    /// POST `/tasks/{id}/comments`.
    func addComment(_ call: PageCall) async throws -> PageResponse {
        let id = try call.id()
        do {
            let comment = try CommentRequest(json: .object(["body": call.form.raw("body").map(JSONValue.string) ?? .null]))
            _ = try await store.comment(taskID: id, body: comment.body, by: call.who)
        } catch let error as BatonError where error.code == .validationFailed {
            return try await taskPage(call, errors: ["comment": ("note", call.message(for: error))], status: .unprocessableContent)
        }
        return .redirect("/tasks/\(id.lower)?msg=saved")
    }

    /// `/notifications`: the agency's inbox, unread first.
    func notificationsPage(_ call: PageCall) async throws -> PageResponse {
        let items = try await store.notifications(for: call.who, unreadOnly: false, page: Page(limit: 100)).items
        return try call.render("notifications", title: call.t.text("notifications.title"), [
            "items": items.map { notificationItem($0, call.t) }, "empty": items.isEmpty,
        ])
    }

    func notificationItem(_ n: NotificationRecord, _ t: Catalogue) -> [String: Any] {
        let kind = t.texts["notifications.kinds.\(n.kind)"] != nil ? n.kind : "other"
        return ["id": n.id, "kind": t.text("notifications.kinds.\(kind)"), "title": n.taskTitle, "href": "/tasks/\(n.taskID.lower)",
                "at": Format.dateTime(n.at), "read": n.readAt != nil]
    }

    /// POST `/notifications/{id}/read`.
    func markRead(_ call: PageCall) async throws -> PageResponse {
        guard let id = Int64(call.parameter("id")) else { throw BatonError.notFound("notification") }
        _ = try await store.markRead(notification: id, by: call.who)
        return .redirect(Self.localPath(call.form["back"]) ?? "/notifications")
    }
}

/// Workflow definitions by name, read once per page.
struct Workflows {
    let store: BatonStore
    private var cache: [String: WorkflowDefinition] = [:]
    init(store: BatonStore) { self.store = store }

    mutating func named(_ name: String) async throws -> WorkflowDefinition {
        if let d = cache[name] { return d }
        guard let d = try await store.workflow(named: name) else { throw BatonError(.internalError, "workflow \(name) is not loaded") }
        cache[name] = d
        return d
    }
}

extension WorkflowDefinition {
    /// The states in which a task waits for the committee's decision: those a `close` leaves from.
    var decisionStates: Set<String> {
        Set(transitions.filter { $0.effect == .close && $0.by.contains(.issuerCommittee) }.flatMap(\.from))
    }
}

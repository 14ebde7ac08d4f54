import BatonCore
import BatonStore
import Foundation
import HTTPTypes
import Hummingbird
import PlanFiles

/// The committee's pages: the queue of work awaiting its decision, plans, a plan with its tasks and a
/// form to assign more, a new plan, and importing a plan document with a preview before anything is written.
extension WebPages {
    /// `/queue`: submitted work, extension and handoff requests, difficulties, each with the decisions
    /// the engine offers this person.
    func queuePage(_ call: PageCall) async throws -> PageResponse {
        let t = call.t
        var workflows = Workflows(store: store)
        let definition = try await workflows.named("task")
        var found: [UUID: TaskRecord] = [:]
        var pending = TaskFilter()
        pending.pending = true
        for task in try await store.tasks(pending, for: call.who, page: Page(limit: Page.maxLimit)).items { found[task.id] = task }
        for state in Set(definition.transitions.filter { $0.effect == .close }.flatMap(\.from)) {
            var f = TaskFilter()
            f.state = state
            f.kind = "task"
            for task in try await store.tasks(f, for: call.who, page: Page(limit: Page.maxLimit)).items { found[task.id] = task }
        }
        let tasks = found.values.sorted { ($0.updatedAt.date, $0.id.lower) < ($1.updatedAt.date, $1.id.lower) }
        let names = try await store.agencyNames(codes: tasks.compactMap(\.lead) + tasks.compactMap { $0.pending["handoff"]?["to"]?.stringValue })
        var sections: [String: [[String: Any]]] = [:]
        for task in tasks {
            let (_, flow, choices) = try await store.transitionChoices(taskID: task.id, for: call.who)
            let decisions = choices.filter { ![.remind, .cancel, .moveLead].contains($0.effect) }
            guard !decisions.isEmpty else { continue }
            let pending = task.pending
            let kind = pending.has("extension") ? "extensions" : pending.has("handoff") ? "handoffs"
                : pending.has("difficulty") ? "difficulties" : "submitted"
            let detail = Format.pendingNotices(pending, names: names, t).last ?? ""
            sections[kind, default: []].append([
                "href": "/tasks/\(task.id.lower)", "id": task.id.lower, "title": task.title, "version": task.version,
                "lead": task.lead.map { names[$0] ?? $0 } ?? "", "detail": detail,
                "state": flow.state(task.state)?.title(in: t.language) ?? task.state, "due": Format.due(task.due, dueAt: task.dueAt, t),
                "decisions": decisions.map { ["name": $0.name, "label": $0.title(in: t.language), "note_required": $0.noteRequired,
                                              "danger": [.rejectExtension, .rejectHandoff].contains($0.effect) || $0.name == "return"] as [String: Any] },
            ])
        }
        let order = ["submitted", "extensions", "handoffs", "difficulties"]
        return try call.render("queue", title: t.text("queue.title"), [
            "sections": order.compactMap { k in sections[k].map { ["label": t.text("queue.\(k)"), "items": $0, "count": $0.count] as [String: Any] } },
            "empty": sections.isEmpty,
        ])
    }

    /// `/plans`: the plans the person sees, with progress.
    func plansPage(_ call: PageCall) async throws -> PageResponse {
        let t = call.t
        let plans = try await store.plans(for: call.who, page: Page(limit: Page.maxLimit)).items
        let names = try await store.agencyNames(codes: plans.map(\.issuer))
        return try call.render("plans", title: t.text("plans.title"), [
            "plans": plans.map { p in
                ["href": "/plans/\(p.id.lower)", "number": p.number, "title": p.title, "issuer": names[p.issuer] ?? p.issuer,
                 "issued_on": Format.date(p.issuedOn), "progress": t.text("plans.tasks_count", ["closed": String(p.progress.closed), "tasks": String(p.progress.tasks)]),
                 "overdue": p.progress.overdue, "has_overdue": p.progress.overdue > 0,
                 "percent": p.progress.tasks == 0 ? 0 : p.progress.closed * 100 / p.progress.tasks] as [String: Any]
            },
            "empty": plans.isEmpty, "can_create": call.who.has(.committee),
        ])
    }

    /// `/plans/new`: a plan by form.
    func newPlanPage(_ call: PageCall, values: [String: String] = [:], error: (field: String, message: String)? = nil,
                     status: HTTPResponse.Status = .ok) async throws -> PageResponse {
        try call.who.mayIssuePlans()
        var fields = values
        if fields["issued_on"] == nil { fields["issued_on"] = Format.date(LocalDate(containing: try await store.now(), in: TimeZone.named(PlanDocument.defaultTimeZone))) }
        return try call.render("plan_new", title: call.t.text("plans.new"), [
            "values": fields, "error": error?.message as Any,
            "issuer": call.who.agencyName ?? call.who.agency ?? "",
        ], status: status)
    }

    /// POST `/plans`: creates the plan, issued by the person's agency.
    func createPlan(_ call: PageCall) async throws -> PageResponse {
        let f = call.form
        var values: [String: String] = [:]
        for k in ["number", "title", "issued_on", "monitor", "basis", "description"] { values[k] = f.raw(k) ?? "" }
        do {
            guard let issued = f["issued_on"] else { throw BatonError.invalid("issued_on", "is required") }
            guard let day = DueInput.date(issued) else { throw BatonError.invalid("issued_on", "is not a date dd/mm/yyyy") }
            var doc: [String: JSONValue] = [
                "number": .string(f["number"] ?? ""), "title": .string(f["title"] ?? ""), "issued_on": .string(day.description),
                "issuer": .string(call.who.agency ?? ""), "tasks": .array([]),
            ]
            if let m = f["monitor"] { doc["monitor"] = .string(AgencyInput.code(m)) }
            if let b = f["basis"] { doc["basis"] = .string(b) }
            if let d = f["description"] { doc["description"] = .string(d) }
            let plan = try await store.createPlan(try PlanDocument(json: .object(doc)), by: call.who).plan
            return .redirect("/plans/\(plan.id.lower)?msg=created")
        } catch let error as BatonError where [.validationFailed, .conflict].contains(error.code) {
            return try await newPlanPage(call, values: values, error: (PageCall.formField(error.field), call.message(for: error)), status: .unprocessableContent)
        }
    }

    /// `/plans/{id}`: the plan, its indicators and tasks, and (for its committee) a form to assign a task.
    func planPage(_ call: PageCall, values: [String: String] = [:], error: (field: String, message: String)? = nil,
                  status: HTTPResponse.Status = .ok) async throws -> PageResponse {
        let t = call.t
        let id = try call.id()
        let plan = try await store.plan(id: id, for: call.who)
        var filter = TaskFilter()
        filter.plan = id
        filter.topLevel = true
        async let taskList = store.tasks(filter, for: call.who, page: Page(limit: Page.maxLimit))
        async let clock = store.now()
        let (tasks, now) = try await (taskList.items, clock)
        let names = try await store.agencyNames(codes: [plan.issuer] + (plan.monitor.map { [$0] } ?? []) + tasks.compactMap(\.lead))
        var workflows = Workflows(store: store)
        var rows: [[String: Any]] = []
        for task in tasks {
            let definition = try await workflows.named(task.workflow)
            var item = taskItem(task, definition: definition, agency: nil, plan: nil, now: now, t)
            item["lead"] = task.lead.map { names[$0] ?? $0 } ?? Self.fanOutText(task.fanout, t)
            rows.append(item)
        }
        let canAssign = call.who.has(.committee) && call.who.agency == plan.issuer
        return try call.render("plan", title: plan.number, [
            "plan": [
                "id": plan.id.lower, "number": plan.number, "title": plan.title, "issued_on": Format.date(plan.issuedOn),
                "issuer": names[plan.issuer] ?? plan.issuer, "monitor": plan.monitor.map { names[$0] ?? $0 } ?? "",
                "basis": plan.basis ?? "", "description": plan.description ?? "",
                "progress": t.text("plans.tasks_count", ["closed": String(plan.progress.closed), "tasks": String(plan.progress.tasks)]),
                "overdue": plan.progress.overdue,
            ] as [String: Any],
            "indicators": (plan.indicators ?? []).map { i in
                ["name": i.name, "target": "\(Self.number(i.target))\(i.unit == "percent" ? "%" : "")",
                 "latest": i.periods.last.map { "\($0.period): \(Self.number($0.value))\(i.unit == "percent" ? "%" : "")" } ?? ""] as [String: Any]
            },
            "tasks": rows, "empty": rows.isEmpty, "can_assign": canAssign, "has_indicators": !(plan.indicators ?? []).isEmpty,
            "values": Dictionary(uniqueKeysWithValues: values.map { ($0.key.replacingOccurrences(of: ".", with: "_"), $0.value) }), "error": error?.message as Any,
            "due_kinds": Self.dueKinds(t, allowRecurring: true, selected: values["due.kind"] ?? "before"),
            "fanouts": ["agency", "each_under", "each_of_kind"].map { k in
                ["value": k, "label": t.text(k == "agency" ? "plans.fanout_none" : k == "each_under" ? "plans.fanout_under" : "plans.fanout_kind"),
                 "selected": (values["lead.form"] ?? "agency") == k] as [String: Any]
            },
            "board_href": "/board?plan=\(plan.id.lower)", "stats_href": "/stats?plan=\(plan.id.lower)",
        ], status: status)
    }

    static func number(_ v: Double) -> String { v.rounded() == v ? String(Int(v)) : String(format: "%.1f", v) }

    static func fanOutText(_ fanout: JSONValue?, _ t: Catalogue) -> String {
        if let under = fanout?["each_under"]?.stringValue { return t.text("plans.fanout_under") + " " + under }
        if let kind = fanout?["each_of_kind"]?.stringValue { return t.text("plans.fanout_kind") + ": " + kind }
        return ""
    }

    /// POST `/plans/{id}/tasks`: assigns a task from the form; a mistake comes back beside its field.
    func addTask(_ call: PageCall) async throws -> PageResponse {
        let id = try call.id()
        let f = call.form
        var values: [String: String] = [:]
        for k in ["title", "description", "lead", "lead.form", "cooperating", "due.kind", "due.value"] { values[k] = f.raw(k) ?? "" }
        do {
            // Fields are checked in the order the form shows them: the title before the deadline.
            _ = try Text.words(.string(f.raw("title") ?? ""), field: "title", max: TaskSpec.titleLimit)
            var body: [String: JSONValue] = ["title": .string(f.raw("title") ?? "")]
            if let d = f["description"] { body["description"] = .string(d) }
            let lead = AgencyInput.code(f["lead"] ?? "")
            switch f["lead.form"] ?? "agency" {
            case "each_under": body["lead"] = .object(["each_under": .string(lead)])
            case "each_of_kind": body["lead"] = .object(["each_of_kind": .string(lead)])
            default: body["lead"] = .string(lead)
            }
            body["cooperating"] = .array(AgencyInput.codes(f["cooperating"]).map { .string($0) })
            body["due"] = try DueInput.read(f, prefix: "due") ?? .null
            let spec = try TaskSpec(json: .object(body), path: "", keyRequired: false)
            let task = try await store.createTask(planID: id, spec: spec, by: call.who)
            return .redirect("/plans/\(id.lower)#task-\(task.id.lower)", msg: "task_added")
        } catch let error as BatonError where error.code == .validationFailed {
            return try await planPage(call, values: values, error: (PageCall.formField(error.field), call.message(for: error)), status: .unprocessableContent)
        }
    }

    /// POST `/plans/{id}/indicators/{key}`: the agency's value for a period.
    func reportIndicator(_ call: PageCall) async throws -> PageResponse {
        let id = try call.id()
        let value = call.form["value"].map { $0.replacingOccurrences(of: ",", with: ".") }.flatMap(Double.init)
        var body: [String: JSONValue] = ["period": .string(call.form["period"] ?? "")]
        if let value { body["value"] = .number(value) }
        _ = try await store.reportIndicator(planID: id, key: call.parameter("key"), report: try IndicatorReport(json: .object(body)), by: call.who)
        return .redirect(Self.localPath(call.form["back"]) ?? "/plans/\(id.lower)", msg: "saved")
    }

    /// POST `/plans/{id}/incidents`: a báo cáo nhanh.
    func reportIncident(_ call: PageCall) async throws -> PageResponse {
        let id = try call.id()
        let task = try await store.reportIncident(planID: id, title: call.form["title"] ?? "", description: call.form["description"], by: call.who)
        return .redirect("/tasks/\(task.id.lower)?msg=done")
    }

    /// `/agencies/search?q=`: agencies whose name has every word of `q`, with or without diacritics (the picker's suggestions).
    func searchAgencies(_ call: PageCall) async throws -> PageResponse {
        let found = try await store.agencies(kind: nil, parent: nil, query: call.query("q"), page: Page(limit: 20)).items
        var w = JSONWriter()
        w.openArray()
        for a in found {
            w.openObject()
            w.field("code", a.code)
            w.field("name", a.name)
            w.closeObject()
        }
        w.closeArray()
        return .download(Data(w.text.utf8), contentType: "application/json", filename: "agencies.json")
    }

    // MARK: Import

    /// `/plans/import`: upload a plan document.
    func importPage(_ call: PageCall) async throws -> PageResponse {
        try call.who.mayIssuePlans()
        return try call.render("import", title: call.t.text("import.title"), [:])
    }

    /// POST `/plans/import`: `action=preview` shows what the document would create, writing nothing;
    /// `action=confirm` imports it.
    func importPlan(_ call: PageCall) async throws -> PageResponse {
        let t = call.t
        try call.who.mayIssuePlans()
        // A plan's own file (Word, PDF, text) is drafted first: the draft comes back editable, with what
        // the drafter could not place, and nothing is written until it is previewed and confirmed.
        if let file = call.form.file("file"), let format = PlanFile.Format(filename: file.filename),
           ![".yaml", ".yml", ".json"].contains(where: { file.filename.lowercased().hasSuffix($0) }) {
            do {
                let draft = try await Drafting.draft(file.data, format: format, issuer: call.who.agency, store: store)
                return try call.render("import", title: t.text("import.title"), [
                    "drafted": true, "document": draft.yaml, "filename": file.filename,
                    // In English the drafter's own words; in Vietnamese the catalogue's sentence for the kind of item.
                    "review": draft.review.map { item in
                        ["line": t.text("import.line", ["line": String(item.line)]), "text": item.text,
                         "message": t.language == "en" ? item.message : t.text("import.review_kinds.\(item.kind.rawValue)")]
                    },
                    "has_review": !draft.review.isEmpty,
                ])
            } catch let error as BatonError {
                return try call.render("import", title: t.text("import.title"), [
                    "has_errors": true, "errors": [["field": file.filename, "message": call.message(for: error)]],
                ], status: .unprocessableContent)
            }
        }
        let text = call.form.file("file").map { String(decoding: $0.data, as: UTF8.self) } ?? call.form.raw("document") ?? ""
        do {
            let document = try PlanDocument(json: try JSONValue.parse(yaml: text))
            if call.form["action"] == "confirm" {
                let created = try await store.createPlan(document, by: call.who)
                return .redirect("/plans/\(created.plan.id.lower)?msg=created")
            }
            let preview = try await store.previewPlan(document, by: call.who)
            let leaves = preview.tasks.filter { $0.parentID != nil || ($0.fanout == nil && $0.recurrence == nil) }
            let names = try await store.agencyNames(codes: preview.tasks.compactMap(\.lead))
            var perAgency: [String: Int] = [:]
            for task in leaves { if let lead = task.lead { perAgency[lead, default: 0] += 1 } }
            let childCount = Dictionary(grouping: preview.tasks.filter { $0.parentID != nil }, by: { $0.parentID! }).mapValues(\.count)
            return try call.render("import", title: t.text("import.title"), [
                "document": text, "preview": true,
                "plan": ["number": preview.plan.number, "title": preview.plan.title, "issued_on": Format.date(preview.plan.issuedOn), "created": preview.created],
                "tasks": preview.tasks.filter { $0.parentID == nil }.map { task in
                    ["title": task.title, "key": task.key ?? "",
                     "lead": task.lead.map { names[$0] ?? $0 } ?? Self.fanOutText(task.fanout, t),
                     "fanout": childCount[task.id].map { t.text("import.fanout_count", ["n": String($0)]) } ?? "",
                     "due": Format.due(task.due, dueAt: task.dueAt, t), "due_at": task.dueAt.map(Format.dateTime) ?? ""] as [String: Any]
                },
                "agencies": perAgency.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { ["agency": names[$0.key] ?? $0.key, "code": $0.key, "count": $0.value] },
            ])
        } catch let error as BatonError where [.validationFailed, .malformed, .conflict].contains(error.code) {
            let line = error.field.flatMap { YAMLLocation.line(of: $0, in: text) }
            return try call.render("import", title: t.text("import.title"), [
                "document": text, "has_errors": true, "errors": [["field": error.field ?? "", "message": error.detail,
                                              "line": line.map { t.text("import.line", ["line": String($0)]) } ?? ""]],
            ], status: .unprocessableContent)
        }
    }
}

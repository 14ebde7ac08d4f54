/// A task as a plan document or `POST /v1/tasks` describes it.
public struct TaskSpec: Sendable, Hashable {
    /// A cooperating agency, optionally owing its part earlier than the lead.
    public struct Cooperating: Sendable, Hashable {
        public let agency: String
        public let due: DueForm?
    }

    public let key: String?
    public let title: String
    public let description: String?
    public let lead: LeadForm
    public let cooperating: [Cooperating]
    public let due: DueForm?
    public let workflow: String

    public static let titleLimit = 1_000
    public static let descriptionLimit = 50_000

    /// Reads a task object; every error names the field under `path`.
    public init(json: JSONValue, path: String, keyRequired: Bool, extraKeys: Set<String> = []) throws {
        let o = try Fields(json, at: path, allowed: Set(["key", "title", "description", "lead", "cooperating", "due", "workflow"]).union(extraKeys),
                           what: "a task")
        if let k = o["key"] {
            guard let s = k.stringValue, s.wholeMatch(of: /[A-Za-z0-9][A-Za-z0-9._-]{0,99}/) != nil else {
                throw BatonError.invalid(o.at("key"), "must be 1–100 letters, digits, . _ -")
            }
            key = s
        } else if keyRequired {
            throw BatonError.invalid(o.at("key"), "is required")
        } else {
            key = nil
        }
        title = try o.text("title", max: Self.titleLimit)
        description = try o.optionalText("description", max: Self.descriptionLimit, multiline: true)
        guard let lead = try o.read("lead", LeadForm.init(json:field:)) else { throw BatonError.invalid(o.at("lead"), "is required") }
        self.lead = lead
        var coop: [Cooperating] = []
        for (item, f) in try o.list("cooperating", of: "agency codes") {
            if case .string(let code) = item {
                coop.append(Cooperating(agency: try Text.code(code, field: f), due: nil))
            } else if item.objectValue != nil {
                let part = try Fields(item, at: f, allowed: ["agency", "due"], what: "a cooperating agency")
                let code = try part.code("agency")
                let due = try part.read("due", DueForm.init(json:field:))
                if let due, due.isRecurring { throw BatonError.invalid(part.at("due"), "a cooperating agency's part has one due time") }
                coop.append(Cooperating(agency: code, due: due))
            } else {
                throw BatonError.invalid(f, "must be an agency code or {agency, due}")
            }
            if coop.dropLast().contains(where: { $0.agency == coop.last!.agency }) {
                throw BatonError.invalid(f, "\(coop.last!.agency) is listed twice")
            }
        }
        if case .agency(let lead) = lead, coop.contains(where: { $0.agency == lead }) {
            throw BatonError.invalid(o.at("cooperating"), "\(lead) leads the task; it cannot also cooperate")
        }
        cooperating = coop
        due = try o.read("due", DueForm.init(json:field:))
        if let w = o["workflow"] {
            guard let s = w.stringValue, s.wholeMatch(of: /[a-z][a-z0-9_]{0,39}/) != nil else {
                throw BatonError.invalid(o.at("workflow"), "must name a workflow, e.g. task")
            }
            workflow = s
        } else {
            workflow = "task"
        }
    }
}

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
        func at(_ k: String) -> String { path.isEmpty ? k : "\(path).\(k)" }
        guard let o = json.objectValue else { throw BatonError.invalid(path.isEmpty ? nil : path, "a task must be an object") }
        let allowed: Set<String> = ["key", "title", "description", "lead", "cooperating", "due", "workflow"]
        if let extra = o.keys.sorted().first(where: { !allowed.contains($0) && !extraKeys.contains($0) }) {
            throw BatonError.invalid(at(extra), "is not a field of a task")
        }
        if let k = o["key"], !k.isNull {
            guard let s = k.stringValue, s.wholeMatch(of: /[A-Za-z0-9][A-Za-z0-9._-]{0,99}/) != nil else {
                throw BatonError.invalid(at("key"), "must be 1–100 letters, digits, . _ -")
            }
            key = s
        } else if keyRequired {
            throw BatonError.invalid(at("key"), "is required")
        } else {
            key = nil
        }
        title = try Text.words(o["title"], field: at("title"), max: Self.titleLimit)!
        description = try Text.words(o["description"], field: at("description"), max: Self.descriptionLimit, multiline: true, required: false)
        guard let leadValue = o["lead"], !leadValue.isNull else { throw BatonError.invalid(at("lead"), "is required") }
        lead = try LeadForm(json: leadValue, field: at("lead"))
        var coop: [Cooperating] = []
        if let c = o["cooperating"], !c.isNull {
            guard let list = c.arrayValue else { throw BatonError.invalid(at("cooperating"), "must be a list of agency codes") }
            for (i, item) in list.enumerated() {
                let f = "\(at("cooperating"))[\(i)]"
                if case .string(let code) = item {
                    coop.append(Cooperating(agency: try Text.code(code, field: f), due: nil))
                } else if let obj = item.objectValue {
                    if let extra = obj.keys.first(where: { $0 != "agency" && $0 != "due" }) {
                        throw BatonError.invalid("\(f).\(extra)", "is not a field of a cooperating agency")
                    }
                    let code = try Text.code(obj["agency"]?.stringValue ?? "", field: "\(f).agency")
                    let due = try obj["due"].flatMap { $0.isNull ? nil : try DueForm(json: $0, field: "\(f).due") }
                    if let due, due.isRecurring { throw BatonError.invalid("\(f).due", "a cooperating agency's part has one due time") }
                    coop.append(Cooperating(agency: code, due: due))
                } else {
                    throw BatonError.invalid(f, "must be an agency code or {agency, due}")
                }
                if coop.dropLast().contains(where: { $0.agency == coop.last!.agency }) {
                    throw BatonError.invalid(f, "\(coop.last!.agency) is listed twice")
                }
            }
        }
        if case .agency(let lead) = lead, coop.contains(where: { $0.agency == lead }) {
            throw BatonError.invalid(at("cooperating"), "\(lead) leads the task; it cannot also cooperate")
        }
        cooperating = coop
        due = try o["due"].flatMap { $0.isNull ? nil : try DueForm(json: $0, field: at("due")) }
        if let w = o["workflow"], !w.isNull {
            guard let s = w.stringValue, s.wholeMatch(of: /[a-z][a-z0-9_]{0,39}/) != nil else {
                throw BatonError.invalid(at("workflow"), "must name a workflow, e.g. task")
            }
            workflow = s
        } else {
            workflow = "task"
        }
    }
}

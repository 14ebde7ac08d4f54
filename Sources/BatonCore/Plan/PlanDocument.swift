import Foundation

/// A plan as imported (`baton plan import`, `POST /v1/plans/import`) or created (`POST /v1/plans`).
public struct PlanDocument: Sendable, Hashable {
    public let number: String
    public let title: String
    public let issuedOn: LocalDate
    public let issuer: String
    public let monitor: String?
    public let basis: String?
    public let description: String?
    public let timeZone: String
    public let calendar: String
    public let tasks: [TaskSpec]
    public let indicators: [Indicator]
    /// The task this plan is the deliverable of (cascading plans): its issuer must lead that task.
    public let basisTask: BasisTask?

    /// How a plan names its basis task: by id, or by the parent plan's number and the task's key
    /// (for a fan-out or recurring task, its child led by this plan's issuer).
    public enum BasisTask: Sendable, Hashable {
        case id(UUID)
        case key(plan: String, task: String)

        public init(json: JSONValue, field: String) throws {
            if let text = json.stringValue, case .string = json {
                guard let id = UUID(uuidString: text) else { throw BatonError.invalid(field, "'\(text.prefix(60))' is not a task id") }
                self = .id(id)
                return
            }
            guard let o = json.objectValue else { throw BatonError.invalid(field, "must be a task id or {plan: NUMBER, task: KEY}") }
            if let extra = o.keys.sorted().first(where: { !["plan", "task"].contains($0) }) {
                throw BatonError.invalid("\(field).\(extra)", "is not a field of a basis task (plan, task)")
            }
            guard let plan = o["plan"]?.stringValue, !plan.isEmpty else { throw BatonError.invalid("\(field).plan", "is required (the parent plan's number)") }
            guard let task = o["task"]?.stringValue, !task.isEmpty else { throw BatonError.invalid("\(field).task", "is required (the task's key)") }
            self = .key(plan: plan, task: task)
        }
    }

    public static let defaultTimeZone = "Asia/Ho_Chi_Minh"

    /// Reads a plan from JSON or YAML text (already parsed to a value); errors name the field.
    public init(json: JSONValue, tasksAllowed: Bool = true) throws {
        guard let o = json.objectValue else { throw BatonError.invalid(nil, "a plan must be an object (mapping)") }
        var allowed: Set<String> = ["number", "title", "issued_on", "issuer", "monitor", "basis", "description", "time_zone", "calendar",
                                    "indicators", "basis_task"]
        if tasksAllowed { allowed.insert("tasks") }
        if let extra = o.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw BatonError.invalid(extra, "is not a field of a plan")
        }
        number = try Text.words(o["number"], field: "number", max: 200)!
        title = try Text.words(o["title"], field: "title", max: TaskSpec.titleLimit)!
        guard let issued = o["issued_on"]?.stringValue else { throw BatonError.invalid("issued_on", "is required (YYYY-MM-DD)") }
        guard let day = LocalDate(issued) else { throw BatonError.invalid("issued_on", "'\(issued.prefix(40))' is not a real date in the form YYYY-MM-DD (years 1900 to 2999)") }
        issuedOn = day
        issuer = try Text.code(o["issuer"]?.stringValue ?? "", field: "issuer")
        monitor = try o["monitor"].flatMap { $0.isNull ? nil : try Text.code($0.stringValue ?? "", field: "monitor") }
        basis = try Text.words(o["basis"], field: "basis", max: 5_000, multiline: true, required: false)
        description = try Text.words(o["description"], field: "description", max: TaskSpec.descriptionLimit, multiline: true, required: false)
        let zone = o["time_zone"]?.stringValue ?? Self.defaultTimeZone
        guard TimeZone(identifier: zone) != nil else { throw BatonError.invalid("time_zone", "unknown time zone '\(zone.prefix(60))'") }
        timeZone = zone
        let cal = o["calendar"]?.stringValue ?? "vn"
        guard cal.wholeMatch(of: /[a-z][a-z0-9_-]{0,31}/) != nil else { throw BatonError.invalid("calendar", "must name a working calendar, e.g. vn") }
        calendar = cal
        var tasks: [TaskSpec] = []
        if let t = o["tasks"], !t.isNull {
            guard let list = t.arrayValue else { throw BatonError.invalid("tasks", "must be a list") }
            for (i, item) in list.enumerated() {
                let spec = try TaskSpec(json: item, path: "tasks[\(i)]", keyRequired: true)
                if tasks.contains(where: { $0.key == spec.key }) {
                    throw BatonError.invalid("tasks[\(i)].key", "'\(spec.key!)' is used by another task of this plan")
                }
                tasks.append(spec)
            }
        }
        self.tasks = tasks
        var indicators: [Indicator] = []
        if let list = o["indicators"], !list.isNull {
            guard let items = list.arrayValue else { throw BatonError.invalid("indicators", "must be a list") }
            for (i, item) in items.enumerated() {
                let indicator = try Indicator(json: item, field: "indicators[\(i)]")
                if indicators.contains(where: { $0.key == indicator.key }) {
                    throw BatonError.invalid("indicators[\(i)].key", "'\(indicator.key)' is used by another indicator of this plan")
                }
                indicators.append(indicator)
            }
        }
        self.indicators = indicators
        basisTask = try o["basis_task"].flatMap { $0.isNull ? nil : try BasisTask(json: $0, field: "basis_task") }
    }
}

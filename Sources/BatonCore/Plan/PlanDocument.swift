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
                self = .id(try Text.id(text, field: field, what: "a task id"))
                return
            }
            let o = try Fields(json, at: field, allowed: ["plan", "task"], what: "a basis task (plan, task)",
                               notObject: "must be a task id or {plan: NUMBER, task: KEY}")
            guard let plan = try o.string("plan"), !plan.isEmpty else { throw BatonError.invalid(o.at("plan"), "is required (the parent plan's number)") }
            guard let task = try o.string("task"), !task.isEmpty else { throw BatonError.invalid(o.at("task"), "is required (the task's key)") }
            self = .key(plan: plan, task: task)
        }
    }

    public static let defaultTimeZone = "Asia/Ho_Chi_Minh"

    /// Reads a plan from JSON or YAML text (already parsed to a value); errors name the field.
    public init(json: JSONValue, tasksAllowed: Bool = true) throws {
        var allowed: Set<String> = ["number", "title", "issued_on", "issuer", "monitor", "basis", "description", "time_zone", "calendar",
                                    "indicators", "basis_task"]
        if tasksAllowed { allowed.insert("tasks") }
        let o = try Fields(json, allowed: allowed, what: "a plan", notObject: "a plan must be an object (mapping)")
        number = try o.text("number", max: 200)
        title = try o.text("title", max: TaskSpec.titleLimit)
        guard let issued = try o.string("issued_on") else { throw BatonError.invalid("issued_on", "is required (YYYY-MM-DD)") }
        issuedOn = try Text.date(issued, field: "issued_on")
        issuer = try o.code("issuer")
        monitor = try o.optionalCode("monitor")
        basis = try o.optionalText("basis", max: 5_000, multiline: true)
        description = try o.optionalText("description", max: TaskSpec.descriptionLimit, multiline: true)
        let zone = try o.string("time_zone") ?? Self.defaultTimeZone
        guard TimeZone(identifier: zone) != nil else { throw BatonError.invalid("time_zone", "unknown time zone '\(zone.prefix(60))'") }
        timeZone = zone
        let cal = try o.string("calendar") ?? "vn"
        guard cal.wholeMatch(of: /[a-z][a-z0-9_-]{0,31}/) != nil else { throw BatonError.invalid("calendar", "must name a working calendar, e.g. vn") }
        calendar = cal
        var tasks: [TaskSpec] = []
        for (item, path) in try o.list("tasks") {
            let spec = try TaskSpec(json: item, path: path, keyRequired: true)
            if tasks.contains(where: { $0.key == spec.key }) {
                throw BatonError.invalid("\(path).key", "'\(spec.key!)' is used by another task of this plan")
            }
            tasks.append(spec)
        }
        self.tasks = tasks
        var indicators: [Indicator] = []
        for (item, path) in try o.list("indicators") {
            let indicator = try Indicator(json: item, field: path)
            if indicators.contains(where: { $0.key == indicator.key }) {
                throw BatonError.invalid("\(path).key", "'\(indicator.key)' is used by another indicator of this plan")
            }
            indicators.append(indicator)
        }
        self.indicators = indicators
        basisTask = try o.read("basis_task", BasisTask.init(json:field:))
    }
}

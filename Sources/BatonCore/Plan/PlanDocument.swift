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

    public static let defaultTimeZone = "Asia/Ho_Chi_Minh"

    /// Reads a plan from JSON or YAML text (already parsed to a value); errors name the field.
    public init(json: JSONValue, tasksAllowed: Bool = true) throws {
        guard let o = json.objectValue else { throw BatonError.invalid(nil, "a plan must be an object (mapping)") }
        var allowed: Set<String> = ["number", "title", "issued_on", "issuer", "monitor", "basis", "description", "time_zone", "calendar",
                                    "indicators"]
        if tasksAllowed { allowed.insert("tasks") }
        if let extra = o.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw BatonError.invalid(extra, "is not a field of a plan")
        }
        number = try Text.words(o["number"], field: "number", max: 200)!
        title = try Text.words(o["title"], field: "title", max: TaskSpec.titleLimit)!
        guard let issued = o["issued_on"]?.stringValue else { throw BatonError.invalid("issued_on", "is required (YYYY-MM-DD)") }
        guard let day = LocalDate(issued) else { throw BatonError.invalid("issued_on", "'\(issued.prefix(40))' is not a real date in the form YYYY-MM-DD") }
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
    }
}

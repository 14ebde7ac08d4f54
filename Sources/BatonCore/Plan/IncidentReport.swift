/// An incident report (báo cáo nhanh) as filed: `{"title": "…", "description": "…"}`.
public struct IncidentReport: Sendable, Hashable {
    public let title: String
    public let description: String?

    /// Reads a request body; errors name the field.
    public init(json: JSONValue) throws {
        let f = try Fields(json, allowed: ["title", "description"], what: "an incident report (title, description)",
                           notObject: "the body must be an object {\"title\": …}")
        title = try f.text("title", max: TaskSpec.titleLimit)
        description = try f.optionalText("description", max: TaskSpec.descriptionLimit, multiline: true)
    }
}

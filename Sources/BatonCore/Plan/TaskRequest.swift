import Foundation

/// `POST /v1/tasks`: a task spec and the plan it joins.
public struct TaskRequest: Sendable, Hashable {
    public let planID: UUID
    public let spec: TaskSpec

    /// Reads a request body; errors name the field.
    public init(json: JSONValue) throws {
        guard let value = json["plan_id"], !value.isNull else { throw BatonError.invalid("plan_id", "is required") }
        let raw = try Text.string(value, field: "plan_id")
        planID = try Text.id(raw, field: "plan_id", what: "a plan id")
        spec = try TaskSpec(json: json, path: "", keyRequired: false, extraKeys: ["plan_id"])
    }
}

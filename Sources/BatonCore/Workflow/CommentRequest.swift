/// A comment on a task: `{"body": "…"}`.
public struct CommentRequest: Sendable, Hashable {
    public let body: String

    /// Reads a request body; errors name the field.
    public init(json: JSONValue) throws {
        let f = try Fields(json, allowed: ["body"], what: "a comment (body)", notObject: "the body must be an object {\"body\": …}")
        body = try f.text("body", max: TaskSpec.descriptionLimit, multiline: true)
    }
}

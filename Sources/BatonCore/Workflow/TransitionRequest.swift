/// A transition as asked for: `{"name": "submit", "note": "…", "params": {…}}`.
public struct TransitionRequest: Sendable, Hashable {
    public let name: String
    public let note: String?
    public let params: [String: JSONValue]

    public init(name: String, note: String? = nil, params: [String: JSONValue] = [:]) {
        self.name = name
        self.note = note
        self.params = params
    }

    /// Reads a request body; errors name the field.
    public init(json: JSONValue) throws {
        let f = try Fields(json, allowed: ["name", "note", "params"], what: "a transition (name, note, params)",
                           notObject: "the body must be an object {\"name\": …}")
        guard let name = try f.string("name"), !name.isEmpty else { throw BatonError.invalid("name", "is required") }
        self.init(name: name, note: try f.optionalText("note", max: TaskSpec.descriptionLimit, multiline: true),
                  params: try f.object("params") ?? [:])
    }
}

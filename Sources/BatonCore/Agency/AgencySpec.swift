/// An agency as added: by `POST /v1/agencies`, `baton agency add` or a line of an agency CSV.
public struct AgencySpec: Sendable, Hashable {
    public let code: String
    public let name: String
    public let kind: String
    public let parent: String?

    /// Checks every field; errors name it. An empty parent means none.
    public init(code: String, name: String, kind: String, parent: String?) throws {
        self.code = try Text.code(code, field: "code")
        self.name = try Text.words(.string(name), field: "name", max: Self.nameLimit)!
        self.kind = try Text.kind(kind, field: "kind")
        self.parent = try parent.flatMap { $0.isEmpty ? nil : try Text.code($0, field: "parent") }
    }

    /// Reads a request body; errors name the field.
    public init(json: JSONValue) throws {
        let f = try Fields(json, allowed: ["code", "name", "kind", "parent"], what: "an agency", notObject: "the body must be an object")
        let name = try f.text("name", max: Self.nameLimit)
        try self.init(code: try f.string("code") ?? "", name: name, kind: try f.string("kind") ?? "", parent: try f.string("parent"))
    }

    /// The longest name an agency may have.
    public static let nameLimit = 500
}

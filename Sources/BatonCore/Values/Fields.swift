/// A JSON object as a request body or a part of a document is read: only the keys it allows,
/// typed fields, and every error naming its field by path (`tasks[2].due.before`).
public struct Fields: Sendable {
    /// Where this object is: "" at the top of a body, else a path such as `tasks[2]`.
    public let path: String
    private let object: [String: JSONValue]

    /// Reads `value` as an object whose keys are all in `allowed`.
    /// - Parameters:
    ///   - what: the object's name in errors: "a task" gives "is not a field of a task".
    ///   - notObject: what to say when `value` is no object at all (else "WHAT must be an object").
    public init(_ value: JSONValue, at path: String = "", allowed: Set<String>, what: String, notObject: String? = nil) throws {
        guard let object = value.objectValue else {
            throw BatonError.invalid(path.isEmpty ? nil : path, notObject ?? "\(what) must be an object")
        }
        self.path = path
        self.object = object
        if let extra = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw BatonError.invalid(self.at(extra), "is not a field of \(what)")
        }
    }

    /// The path of the field `key`.
    public func at(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The value of `key`; nil when absent or null.
    public subscript(_ key: String) -> JSONValue? {
        guard let v = object[key], !v.isNull else { return nil }
        return v
    }

    /// The text of `key`, or nil when absent or null; any other type is 422 naming the field.
    public func string(_ key: String) throws -> String? {
        try self[key].map { try Text.string($0, field: at(key)) }
    }

    /// Human text, required (see `Text.words`).
    public func text(_ key: String, max: Int, multiline: Bool = false) throws -> String {
        try Text.words(object[key], field: at(key), max: max, multiline: multiline)!
    }

    /// Human text, or nil when absent, null or blank (see `Text.words`).
    public func optionalText(_ key: String, max: Int, multiline: Bool = false) throws -> String? {
        try Text.words(object[key], field: at(key), max: max, multiline: multiline, required: false)
    }

    /// An agency code, required.
    public func code(_ key: String) throws -> String {
        try Text.code(string(key) ?? "", field: at(key))
    }

    /// An agency code, or nil when absent or null.
    public func optionalCode(_ key: String) throws -> String? {
        try string(key).map { try Text.code($0, field: at(key)) }
    }

    /// A number of 0 or more, or nil when absent or null.
    public func count(_ key: String) throws -> Double? {
        guard let v = self[key] else { return nil }
        guard case .number(let n) = v, n.isFinite, n >= 0 else { throw BatonError.invalid(at(key), "must be a number of 0 or more") }
        return n
    }

    /// An object, or nil when absent or null.
    public func object(_ key: String) throws -> [String: JSONValue]? {
        guard let v = self[key] else { return nil }
        guard let o = v.objectValue else { throw BatonError.invalid(at(key), "must be an object") }
        return o
    }

    /// The items of a list, each with its path (`tasks[2]`); none when absent or null.
    /// - Parameter what: what the items are, for the error ("must be a list of agency codes").
    public func list(_ key: String, of what: String? = nil) throws -> [(value: JSONValue, path: String)] {
        guard let v = self[key] else { return [] }
        guard let items = v.arrayValue else { throw BatonError.invalid(at(key), "must be a list" + (what.map { " of \($0)" } ?? "")) }
        return items.enumerated().map { ($1, "\(at(key))[\($0)]") }
    }

    /// A nested value read by `read` (given the value and its path), or nil when absent or null.
    public func read<T>(_ key: String, _ read: (JSONValue, String) throws -> T) throws -> T? {
        guard let v = self[key] else { return nil }
        return try read(v, at(key))
    }
}

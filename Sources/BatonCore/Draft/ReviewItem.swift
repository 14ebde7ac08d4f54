/// Something the drafter could not read and left for the reviewer, with the line it came from.
public struct ReviewItem: Sendable, Hashable {
    /// What kind of thing was left.
    public enum Kind: String, Sendable, Hashable {
        /// A number, date, title or issuer the header does not give.
        case header
        /// A name that looks like an agency but matches none in the register.
        case agency
        /// A deadline that could not be read into a due form.
        case deadline
        /// A duty that names no agency the drafter could place.
        case phrase
        /// A target that lacks what an indicator needs.
        case indicator
    }

    /// The 1-based line of the source text.
    public let line: Int
    public let kind: Kind
    /// The words of the source in question.
    public let text: String
    /// What the reviewer should do.
    public let message: String

    /// A review item.
    public init(line: Int, kind: Kind, text: String, message: String) {
        self.line = line
        self.kind = kind
        self.text = text.count > 200 ? String(text.prefix(200)) + "…" : text
        self.message = message
    }

    /// `{"line", "kind", "text", "message"}`.
    public var json: JSONValue {
        .object(["line": .number(Double(line)), "kind": .string(kind.rawValue), "text": .string(text), "message": .string(message)])
    }

    /// One line for a terminal: `line 12: agency: … — …`.
    public var summary: String { "line \(line): \(kind.rawValue): \(message): \(text)" }
}

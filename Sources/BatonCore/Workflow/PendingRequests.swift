import Foundation

/// Requests waiting for the committee: at most one handoff and one extension at a time.
public struct PendingRequests: Sendable, Hashable {
    public struct Handoff: Sendable, Hashable {
        public let to: String
        public let by: String
        public let at: Date
        public let note: String?
    }

    public struct Extension: Sendable, Hashable {
        public let due: JSONValue
        public let dueAt: Date
        public let by: String
        public let at: Date
        public let note: String?
    }

    /// A difficulty the lead raised, waiting for the monitor's or the committee's answer.
    public struct Difficulty: Sendable, Hashable {
        public let note: String
        public let by: String
        public let at: Date
    }

    public var handoff: Handoff?
    public var `extension`: Extension?
    public var difficulty: Difficulty?

    public init(handoff: Handoff? = nil, extension: Extension? = nil, difficulty: Difficulty? = nil) {
        self.handoff = handoff
        self.extension = `extension`
        self.difficulty = difficulty
    }

    /// As stored (`tasks.pending`): only the waiting requests, times in UTC.
    public var json: JSONValue { json(in: TimeZone(identifier: "UTC")!, absentAsNull: false) }

    /// The requests as JSON, times RFC 3339 in `zone`; with `absentAsNull`, as the API shows them:
    /// every kind, null when none is waiting.
    public func json(in zone: TimeZone, absentAsNull: Bool) -> JSONValue {
        func t(_ d: Date) -> JSONValue { .string(RFC3339.format(d, in: zone)) }
        func s(_ v: String?) -> JSONValue { v.map(JSONValue.string) ?? .null }
        var o: [String: JSONValue] = absentAsNull ? ["handoff": .null, "extension": .null, "difficulty": .null] : [:]
        if let h = handoff {
            o["handoff"] = .object(["to": .string(h.to), "by": .string(h.by), "at": t(h.at), "note": s(h.note)])
        }
        if let e = `extension` {
            o["extension"] = .object(["due": e.due, "due_at": t(e.dueAt), "by": .string(e.by), "at": t(e.at), "note": s(e.note)])
        }
        if let d = difficulty {
            o["difficulty"] = .object(["note": .string(d.note), "by": .string(d.by), "at": t(d.at)])
        }
        return .object(o)
    }

    /// Reads what `json` wrote.
    public init(json: JSONValue) throws {
        func bad() -> BatonError { BatonError(.internalError, "a stored pending request is not readable") }
        func time(_ v: JSONValue?) throws -> Date {
            guard let s = v?.stringValue, let d = RFC3339.parse(s) else { throw bad() }
            return d
        }
        if let h = json["handoff"], !h.isNull {
            guard let to = h["to"]?.stringValue, let by = h["by"]?.stringValue else { throw bad() }
            handoff = Handoff(to: to, by: by, at: try time(h["at"]), note: h["note"]?.stringValue)
        }
        if let e = json["extension"], !e.isNull {
            guard let due = e["due"], let by = e["by"]?.stringValue else { throw bad() }
            `extension` = Extension(due: due, dueAt: try time(e["due_at"]), by: by, at: try time(e["at"]), note: e["note"]?.stringValue)
        }
        if let d = json["difficulty"], !d.isNull {
            guard let note = d["note"]?.stringValue, let by = d["by"]?.stringValue else { throw bad() }
            difficulty = Difficulty(note: note, by: by, at: try time(d["at"]))
        }
    }
}

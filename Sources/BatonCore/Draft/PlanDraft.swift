import Foundation

/// A draft plan document read from a plan's text, and what the reviewer must still decide.
public struct PlanDraft: Sendable, Hashable {
    /// A task of the draft, with the line of the source it was read from.
    public struct Task: Sendable, Hashable {
        /// Unique within the draft, made from the first words of the duty.
        public var key: String
        /// The duty's first clause.
        public var title: String
        /// The duty as the plan words it.
        public var description: String
        public var lead: LeadForm
        /// Agency codes named after "phối hợp (với)".
        public var cooperating: [String]
        /// Nil when the text gives none, or none the drafter can read (then it is in the review list).
        public var due: DueForm?
        /// The 1-based line of the source the duty starts on.
        public var line: Int
    }

    /// A target of the draft ("100% …", "kéo giảm 10% …").
    public struct Target: Sendable, Hashable {
        public var key: String
        public var name: String
        public var unit: Indicator.Unit
        public var direction: Indicator.Direction
        public var target: Double
        /// The 1-based line of the source the target is on.
        public var line: Int
    }

    /// "Số: …", unless blank.
    public var number: String?
    /// The line(s) after "KẾ HOẠCH", or "V/v …".
    public var title: String?
    /// "…, ngày D tháng M năm Y", when the day and month are given.
    public var issuedOn: LocalDate?
    /// The agency that "xây dựng Kế hoạch" / "đề nghị", or the caller's choice.
    public var issuer: String?
    /// The office that "theo dõi, … đôn đốc" (Cơ quan Thường trực).
    public var monitor: String?
    /// The "Căn cứ …" / "Thực hiện …" paragraphs.
    public var basis: String?
    public var indicators: [Target] = []
    public var tasks: [Task] = []
    /// What the reviewer must still decide, in the order found.
    public var review: [ReviewItem] = []

    /// The plan document as JSON (what `POST /v1/plans/import` reads); fields the text does not
    /// give are left out, so the reviewer must add them before importing.
    public var document: JSONValue {
        var o: [String: JSONValue] = [:]
        o["number"] = number.map(JSONValue.string)
        o["title"] = title.map(JSONValue.string)
        o["issued_on"] = issuedOn.map { .string($0.description) }
        o["issuer"] = issuer.map(JSONValue.string)
        o["monitor"] = monitor.map(JSONValue.string)
        o["basis"] = basis.map(JSONValue.string)
        if !indicators.isEmpty { o["indicators"] = .array(indicators.map(\.json)) }
        o["tasks"] = .array(tasks.map(\.json))
        return .object(o)
    }

    /// The plan document as YAML 1.2, each task after a comment naming its source line.
    public var yaml: String {
        var out = "# Drafted by `baton plan draft`: review every task, and the review list, before importing.\n"
        func line(_ key: String, _ value: String?) { if let value { out += "\(key): \(Self.quote(value))\n" } }
        line("number", number)
        line("title", title)
        if let issuedOn { out += "issued_on: \(issuedOn)\n" }
        line("issuer", issuer)
        line("monitor", monitor)
        line("basis", basis)
        if !indicators.isEmpty {
            out += "indicators:\n"
            for i in indicators {
                out += "  # line \(i.line)\n"
                out += "  - {key: \(Self.flow(.string(i.key))), name: \(Self.quote(i.name)), unit: \(i.unit.rawValue), direction: \(i.direction.rawValue), target: \(Self.number(i.target))}\n"
            }
        }
        out += tasks.isEmpty ? "tasks: []\n" : "tasks:\n"
        for t in tasks {
            out += "  # line \(t.line)\n"
            out += "  - key: \(Self.flow(.string(t.key)))\n"
            out += "    title: \(Self.quote(t.title))\n"
            out += "    description: \(Self.quote(t.description))\n"
            out += "    lead: \(Self.flow(t.lead.json))\n"
            if !t.cooperating.isEmpty { out += "    cooperating: \(Self.flow(.array(t.cooperating.map(JSONValue.string))))\n" }
            if let due = t.due { out += "    due: \(Self.flow(due.json(in: TimeZone(identifier: PlanDocument.defaultTimeZone)!)))\n" }
        }
        return out
    }

    static func number(_ d: Double) -> String { d.rounded() == d ? String(Int(d)) : String(d) }

    /// A double-quoted YAML scalar (also valid JSON).
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if u.properties.generalCategory == .control {
                    out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// A small value in YAML flow style; keys are quoted so that `on` is never read as a boolean.
    static func flow(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s.wholeMatch(of: /[A-Za-z][A-Za-z0-9._-]*/) != nil ? s : quote(s)
        case .number(let n): return number(n)
        case .array(let a): return "[" + a.map(flow).joined(separator: ", ") + "]"
        case .object(let o): return "{" + o.keys.sorted().map { "\(quote($0)): \(flow(o[$0]!))" }.joined(separator: ", ") + "}"
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }
}

extension PlanDraft.Task {
    /// The task as a plan document writes it.
    public var json: JSONValue {
        var o: [String: JSONValue] = ["key": .string(key), "title": .string(title), "description": .string(description), "lead": lead.json]
        if !cooperating.isEmpty { o["cooperating"] = .array(cooperating.map(JSONValue.string)) }
        if let due { o["due"] = due.json(in: TimeZone(identifier: PlanDocument.defaultTimeZone)!) }
        return .object(o)
    }
}

extension PlanDraft.Target {
    /// The indicator as a plan document writes it.
    public var json: JSONValue {
        .object(["key": .string(key), "name": .string(name), "unit": .string(unit.rawValue), "direction": .string(direction.rawValue),
                 "target": .number(target)])
    }
}

import Foundation

/// How close a draft is to the hand transcription of the same plan: each transcribed task is
/// paired with at most one draft task by the words they share (Dice coefficient of their folded
/// words, at least `threshold`), preferring pairs with the same lead; then leads, cooperating
/// sets and due forms are compared pair by pair.
public struct DraftScore: Sendable {
    /// One transcribed task and the draft task paired with it.
    public struct Pair: Sendable, Hashable {
        public let expected: String
        public let drafted: String?
        public let similarity: Double
        public let leadRight: Bool
        public let cooperatingRight: Bool
        public let dueRight: Bool
    }

    /// The least share of words two tasks must have in common to be paired.
    public static let threshold = 0.3
    /// The targets: share of transcribed tasks found with the right lead, and with the right due form.
    public static let foundTarget = 0.90
    public static let dueTarget = 0.85

    /// One per transcribed task, in the transcription's order.
    public let pairs: [Pair]
    /// Draft tasks paired with no transcribed task.
    public let falseAssignments: [String]
    /// Transcribed indicators, and those the draft has with the same target, direction and similar name.
    public let indicatorsExpected: Int
    public let indicatorsFound: Int
    /// Agencies (or kinds) the draft names that the register does not hold.
    public let outsideRegister: [String]

    /// Scores `draft` against `expected` (both plan documents as JSON values).
    public init(draft: JSONValue, expected: JSONValue, register: AgencyRegister) throws {
        struct T { let key: String; let words: Set<String>; let lead: LeadForm; let coop: Set<String>; let due: DueForm? }
        func tasks(_ doc: JSONValue, _ name: String) throws -> [T] {
            try (doc["tasks"]?.arrayValue ?? []).enumerated().map { i, t in
                let text = [t["title"]?.stringValue, t["description"]?.stringValue].compactMap { $0 }.joined(separator: " ")
                let coop = Set((t["cooperating"]?.arrayValue ?? []).compactMap { $0.stringValue ?? $0["agency"]?.stringValue })
                return T(key: t["key"]?.stringValue ?? "\(name)[\(i)]", words: Self.words(text),
                         lead: try LeadForm(json: t["lead"] ?? .null, field: "\(name).tasks[\(i)].lead"), coop: coop,
                         due: try t["due"].flatMap { $0.isNull ? nil : try DueForm(json: $0, field: "\(name).tasks[\(i)].due") })
            }
        }
        let want = try tasks(expected, "expected")
        let got = try tasks(draft, "draft")
        var candidates: [(Int, Int, Double, Double)] = []
        for (i, e) in want.enumerated() {
            for (j, d) in got.enumerated() {
                let sim = Self.dice(e.words, d.words)
                if sim >= Self.threshold { candidates.append((i, j, sim, sim + (e.lead == d.lead ? 1 : 0))) }
            }
        }
        candidates.sort { $0.3 > $1.3 }
        var pairOf: [Int: (Int, Double)] = [:]
        var used: Set<Int> = []
        for (i, j, sim, _) in candidates where pairOf[i] == nil && !used.contains(j) {
            pairOf[i] = (j, sim)
            used.insert(j)
        }
        pairs = want.enumerated().map { i, e in
            guard let (j, sim) = pairOf[i] else {
                return Pair(expected: e.key, drafted: nil, similarity: 0, leadRight: false, cooperatingRight: false, dueRight: false)
            }
            let d = got[j]
            return Pair(expected: e.key, drafted: d.key, similarity: sim, leadRight: d.lead == e.lead, cooperatingRight: d.coop == e.coop,
                        dueRight: d.due == e.due)
        }
        falseAssignments = got.indices.filter { !used.contains($0) }.map { got[$0].key }
        let wantTargets = expected["indicators"]?.arrayValue ?? []
        var gotTargets = draft["indicators"]?.arrayValue ?? []
        var found = 0
        for t in wantTargets {
            if let k = gotTargets.firstIndex(where: {
                $0["target"] == t["target"] && $0["direction"] == t["direction"]
                    && Self.dice(Self.words($0["name"]?.stringValue ?? ""), Self.words(t["name"]?.stringValue ?? "")) >= Self.threshold
            }) {
                found += 1
                gotTargets.remove(at: k)
            }
        }
        indicatorsExpected = wantTargets.count
        indicatorsFound = found
        var outside: [String] = []
        let kinds = Set(register.entries.map(\.kind))
        func check(_ code: String?) { if let code, !register.contains(code), !outside.contains(code) { outside.append(code) } }
        check(draft["issuer"]?.stringValue)
        check(draft["monitor"]?.stringValue)
        for t in got {
            switch t.lead {
            case .agency(let c), .eachUnder(let c): check(c)
            case .eachOfKind(let k, let under):
                if !kinds.contains(k), !outside.contains(k) { outside.append(k) }
                check(under)
            }
            t.coop.forEach { check($0) }
        }
        outsideRegister = outside
    }

    /// Transcribed tasks.
    public var expected: Int { pairs.count }
    /// Transcribed tasks paired with a draft task, with the right lead, cooperating set and due form.
    public var found: Int { pairs.filter { $0.drafted != nil }.count }
    public var foundWithLead: Int { pairs.filter(\.leadRight).count }
    public var cooperatingRight: Int { pairs.filter(\.cooperatingRight).count }
    public var dueRight: Int { pairs.filter(\.dueRight).count }

    func share(_ n: Int) -> Double { expected == 0 ? 1 : Double(n) / Double(expected) }

    /// Whether the targets hold: ≥ 90% found with the right lead, ≥ 85% with the right
    /// due form, and no agency outside the register.
    public var meetsTargets: Bool {
        share(foundWithLead) >= Self.foundTarget && share(dueRight) >= Self.dueTarget && outsideRegister.isEmpty
    }

    /// The score as a small table.
    public var table: String {
        func pct(_ n: Int) -> String { "\(n)/\(expected) (\(Int((share(n) * 100).rounded()))%)" }
        var rows = [
            ("assignments found", pct(found)),
            ("found with the right lead", pct(foundWithLead) + "  target ≥ 90%"),
            ("cooperating sets right", pct(cooperatingRight)),
            ("due forms right", pct(dueRight) + "  target ≥ 85%"),
            ("indicators found", "\(indicatorsFound)/\(indicatorsExpected)"),
            ("false assignments", "\(falseAssignments.count)"),
            ("agencies outside the register", outsideRegister.isEmpty ? "none" : outsideRegister.joined(separator: ", ")),
        ]
        rows.append(("targets", meetsTargets ? "met" : "NOT met"))
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n") + "\n"
    }

    static func words(_ text: String) -> Set<String> {
        Set(VietnameseText.tokens(text).filter { $0.allSatisfy { $0.isLetter || $0.isNumber } })
    }

    static func dice(_ a: Set<String>, _ b: Set<String>) -> Double {
        a.isEmpty && b.isEmpty ? 0 : 2 * Double(a.intersection(b).count) / Double(a.count + b.count)
    }
}

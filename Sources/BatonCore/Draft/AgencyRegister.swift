/// The agencies a draft may name, as plain values: from the database or from a CSV file.
public struct AgencyRegister: Sendable {
    /// One agency: its code, full name, kind, parent and the other names plans call it by.
    public struct Entry: Sendable, Hashable {
        public let code: String
        public let name: String
        public let kind: String
        public let parent: String?
        public let aliases: [String]

        /// An agency of the register.
        public init(code: String, name: String, kind: String, parent: String?, aliases: [String] = []) {
            self.code = code
            self.name = name
            self.kind = kind
            self.parent = parent
            self.aliases = aliases
        }
    }

    /// Every agency, in the order given.
    public let entries: [Entry]
    private let byCode: [String: Int]
    private let children: [String: [String]]

    /// A register of these agencies; a later entry with the same code is ignored.
    public init(_ entries: [Entry]) {
        var seen: [String: Int] = [:]
        var kept: [Entry] = []
        for e in entries where seen[e.code] == nil {
            seen[e.code] = kept.count
            kept.append(e)
        }
        self.entries = kept
        byCode = seen
        var kids: [String: [String]] = [:]
        for e in kept { if let p = e.parent { kids[p, default: []].append(e.code) } }
        children = kids
    }

    /// Reads `code,name,kind,parent[,aliases]` (aliases separated by `;`), with a header row.
    public init(csv text: String) throws {
        let rows = try CSV.parse(text)
        guard let header = rows.first?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }),
              Array(header.prefix(4)) == ["code", "name", "kind", "parent"] || Array(header.prefix(3)) == ["code", "name", "kind"] else {
            throw BatonError.invalid(nil, "an agency CSV starts with the header code,name,kind,parent[,aliases]")
        }
        var entries: [Entry] = []
        for (i, row) in rows.dropFirst().enumerated() {
            func f(_ k: Int) -> String { k < row.count ? row[k].trimmingCharacters(in: .whitespaces) : "" }
            let line = "line \(i + 2)"
            let code = try Text.code(f(0), field: "\(line): code")
            guard !f(1).isEmpty else { throw BatonError.invalid("\(line): name", "is required") }
            let kind = try Text.kind(f(2), field: "\(line): kind")
            let aliases = f(4).split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            entries.append(Entry(code: code, name: f(1), kind: kind, parent: f(3).isEmpty ? nil : f(3), aliases: aliases))
        }
        self.init(entries)
    }

    /// The agency with this code.
    public func entry(_ code: String) -> Entry? { byCode[code].map { entries[$0] } }

    /// Whether the register holds this code.
    public func contains(_ code: String) -> Bool { byCode[code] != nil }

    /// The agencies directly below `code`.
    public func children(of code: String) -> [String] { children[code] ?? [] }

    /// Every agency below `code`, at any depth (not `code` itself).
    public func descendants(of code: String) -> Set<String> {
        var out: Set<String> = []
        var stack = children(of: code)
        while let c = stack.popLast() {
            if out.insert(c).inserted { stack.append(contentsOf: children(of: c)) }
        }
        return out
    }

    /// `code` and its ancestors, nearest first.
    public func lineage(of code: String) -> [String] {
        var out: [String] = []
        var cur: String? = code
        while let c = cur, !out.contains(c) {
            out.append(c)
            cur = entry(c)?.parent
        }
        return out
    }

    /// Where `{each_of_kind}` reaches for a plan of this issuer, as the store reads it: the agencies
    /// below its parent (the issuer's own level), or below the issuer when it has none (the whole
    /// register without an issuer).
    public func jurisdiction(of issuer: String?) -> Set<String> {
        guard let issuer, let e = entry(issuer) else { return Set(entries.map(\.code)) }
        return descendants(of: e.parent ?? issuer)
    }

    /// The agencies a lead form reaches within the issuer's jurisdiction.
    public func reach(_ lead: LeadForm, issuer: String?) -> Set<String> {
        switch lead {
        case .agency(let c): return [c]
        case .eachUnder(let c): return descendants(of: c)
        case .eachOfKind(let k, let under):
            let scope = under.map { descendants(of: $0).intersection(jurisdiction(of: issuer)) } ?? jurisdiction(of: issuer)
            return Set(scope.filter { entry($0)?.kind == k })
        }
    }
}

/// Finds agencies in folded words: by name with or without diacritics, by the beginning of a name
/// ("Công an huyện" for "Công an huyện Châu Thành A"), by alias, and as groups ("các xã, thị trấn",
/// "các đơn vị trực thuộc Sở", "Phòng GD&ĐT các huyện, thị xã, thành phố") that become fan-outs.
public struct AgencyMatcher: Sendable {
    /// What a phrase names.
    public enum Mention: Sendable, Hashable {
        /// One agency or a group, as the lead form that reaches exactly it.
        case lead(LeadForm)
        /// "Các cơ quan, đơn vị", "nhà trường", "cơ sở giáo dục": whoever the plan addresses.
        case addressees
        /// Looks like an agency ("Phòng Nội vụ huyện") but the register has no such agency or group.
        case unknown(String)
    }

    /// A mention and how many words it took.
    public struct Match: Sendable, Hashable {
        public let mention: Mention
        public let length: Int
    }

    public let register: AgencyRegister
    public let issuer: String?
    /// Folded name prefixes (two words or more), full names and aliases → the agencies they begin.
    private let prefixes: [[String]: Set<String>]
    private let longest: Int

    /// The same index of names for a plan of another issuer.
    public func with(issuer: String?) -> AgencyMatcher {
        AgencyMatcher(register: register, issuer: issuer, prefixes: prefixes, longest: longest)
    }

    private init(register: AgencyRegister, issuer: String?, prefixes: [[String]: Set<String>], longest: Int) {
        self.register = register
        self.issuer = issuer
        self.prefixes = prefixes
        self.longest = longest
    }

    /// A matcher over this register, for a plan of this issuer (groups are read within its jurisdiction).
    public init(register: AgencyRegister, issuer: String?) {
        self.register = register
        self.issuer = issuer
        var index: [[String]: Set<String>] = [:]
        var longest = 0
        for e in register.entries {
            for name in [e.name] + e.aliases {
                let words = VietnameseText.tokens(name).filter { !Self.punctuation.contains($0) }
                longest = max(longest, words.count)
                let shortest = e.aliases.contains(name) ? words.count : min(2, words.count)
                for n in stride(from: words.count, through: max(shortest, 1), by: -1) {
                    index[Array(words[0..<n]), default: []].insert(e.code)
                }
            }
        }
        prefixes = index
        self.longest = longest
    }

    static let punctuation: Set<String> = [",", ";", ":", ".", "(", ")"]
    static let places: [[String]] = [["thi", "tran"], ["thi", "xa"], ["thanh", "pho"], ["xa"], ["huyen"], ["quan"], ["tinh"], ["phuong"]]
    static let generic: [[String]] = [["cac", "co", "quan"], ["co", "quan"], ["cac", "don", "vi"], ["don", "vi"], ["nha", "truong"],
                                      ["cac", "nha", "truong"], ["cac", "co", "so", "giao", "duc"], ["co", "so", "giao", "duc"]]
    static let titles: [[String]] = [["thu", "truong"], ["hieu", "truong"], ["giam", "doc"], ["nguoi", "dung", "dau"], ["lanh", "dao"]]
    /// Words that begin the name of a body; "phòng" only when not "phòng ngừa", "phòng, chống".
    static let agencyStarts: [[String]] = [["phong"], ["so"], ["cong", "an"], ["vien"], ["toa"], ["trung", "tam"], ["ban", "chi", "dao"],
                                           ["uy", "ban"], ["doan"], ["hoi"], ["truong"], ["lien", "doan"], ["mat", "tran"]]

    static func starts(_ w: [String], _ i: Int, _ p: [String]) -> Bool {
        i + p.count <= w.count && Array(w[i..<(i + p.count)]) == p
    }

    /// The mention that begins at `i`, if any.
    public func match(_ w: [String], at start: Int) -> Match? {
        var i = start
        for t in Self.titles where Self.starts(w, i, t) { i += t.count; break }
        if i < w.count, w[i] == "truong", i + 1 < w.count, w[i + 1] == "phong" { i += 1 }
        let skipped = i - start
        // "(các) đơn vị trực thuộc (Sở | Phòng | AGENCY)"
        var j = i
        if j < w.count, w[j] == "cac" { j += 1 }
        if Self.starts(w, j, ["don", "vi", "truc", "thuoc"]) {
            j += 4
            if let m = agencyAt(w, j), case .lead(.agency(let code)) = m.mention {
                return Match(mention: .lead(.eachUnder(code)), length: j + m.length - start)
            }
            if let issuer, j < w.count, let first = register.entry(issuer).map({ VietnameseText.tokens($0.name).first }), w[j] == first {
                return Match(mention: .lead(.eachUnder(issuer)), length: j + 1 - start)
            }
            guard let issuer else { return Match(mention: .unknown("đơn vị trực thuộc"), length: j - start) }
            return Match(mention: .lead(.eachUnder(issuer)), length: j - start)
        }
        // "các trường đại học", "các Phòng GD&ĐT": a group named by the beginning of its names.
        if i < w.count, w[i] == "cac", let m = agencyAt(w, i + 1, plural: true) {
            return Match(mention: m.mention, length: skipped + 1 + m.length)
        }
        if let m = agencyAt(w, i) { return Match(mention: m.mention, length: skipped + m.length) }
        for g in Self.generic where Self.starts(w, i, g) {
            var n = g.count
            // "các đơn vị, trường học", "các cơ quan, đơn vị"
            if Self.starts(w, i + n, [",", "truong", "hoc"]) { n += 3 } else if Self.starts(w, i + n, [",", "don", "vi"]) { n += 3 }
            return Match(mention: .addressees, length: skipped + n)
        }
        if Self.agencyStarts.contains(where: { Self.starts(w, i, $0) }),
           !(w[i] == "phong" && i + 1 < w.count && ["ngua", "chong", "tranh", ","].contains(w[i + 1])) {
            // The name runs to its place word ("… huyện"), a punctuation mark, or twelve words.
            var end = i
            while end < w.count, !Self.punctuation.contains(w[end]), end - i < 12 {
                end += 1
                if end - i >= 2, ["huyen", "tinh", "quan", "xa", "phuong"].contains(w[end - 1]) { break }
            }
            return Match(mention: .unknown(w[i..<end].joined(separator: " ")), length: end - start)
        }
        return nil
    }

    /// An agency or a group by its name at `i` (no titles, no generic words).
    func agencyAt(_ w: [String], _ i: Int, plural: Bool = false) -> Match? {
        guard i < w.count else { return nil }
        var n = min(longest, w.count - i)
        while n >= 1 {
            if let codes = prefixes[Array(w[i..<(i + n)])] {
                var head = n
                var set = codes
                var used = n
                // "… huyện, thị xã, thành phố", "… các xã, thị trấn": keep the agencies of those places.
                if Self.places.contains([w[i + n - 1]]), let list = placeList(w, i + n - 1), list.places.count >= 2 {
                    head = n - 1
                    set = prefixes[Array(w[i..<(i + head)])] ?? codes
                    set = filter(set, head: head, places: list.places)
                    used = list.end - i
                } else if let list = placeList(w, i + n), list.plural {
                    set = filter(codes, head: head, places: list.places)
                    used = list.end - i
                }
                guard !set.isEmpty else { return nil }
                if let lead = collapse(set) { return Match(mention: .lead(lead), length: used) }
                return Match(mention: .unknown(w[i..<(i + used)].joined(separator: " ")), length: used)
            }
            n -= 1
        }
        return nil
    }

    /// Places such as "các xã, thị trấn" from `i`: the place words and where the list ends.
    func placeList(_ w: [String], _ i: Int) -> (places: [[String]], end: Int, plural: Bool)? {
        var j = i
        var plural = false
        if j < w.count, w[j] == "cac" { j += 1; plural = true }
        var found: [[String]] = []
        while j < w.count, let p = Self.places.first(where: { Self.starts(w, j, $0) }) {
            found.append(p)
            j += p.count
            if j + 1 < w.count, w[j] == "," || w[j] == "va", Self.places.contains(where: { Self.starts(w, j + 1, $0) }) { j += 1 } else { break }
        }
        guard !found.isEmpty else { return nil }
        return (found, j, plural || found.count >= 2)
    }

    func filter(_ codes: Set<String>, head: Int, places: [[String]]) -> Set<String> {
        codes.filter { code in
            guard let e = register.entry(code) else { return false }
            let words = VietnameseText.tokens(e.name).filter { !Self.punctuation.contains($0) }
            return places.contains { Self.starts(words, head, $0) }
        }
    }

    /// The lead form that reaches exactly these agencies, if there is one.
    public func collapse(_ codes: Set<String>) -> LeadForm? {
        if codes.count == 1 { return .agency(codes.first!) }
        let parents = Set(codes.compactMap { register.entry($0)?.parent })
        // A plan's issuer gives itself no work through a group, so a fan-out that reaches it as well is still exact.
        let others = Set([issuer].compactMap { $0 })
        if parents.count == 1, let p = parents.first, register.descendants(of: p).subtracting(others) == codes { return .eachUnder(p) }
        let kinds = Set(codes.compactMap { register.entry($0)?.kind })
        guard kinds.count == 1, let k = kinds.first else { return nil }
        if register.reach(.eachOfKind(k), issuer: issuer).subtracting(others) == codes { return .eachOfKind(k) }
        // "{each_of_kind: K, under: P}": those of the kind below their nearest common ancestor.
        if let p = commonAncestor(Array(parents)), register.reach(.eachOfKind(k, under: p), issuer: issuer).subtracting(others) == codes {
            return .eachOfKind(k, under: p)
        }
        return nil
    }

    /// The lowest agency above all of these (each agency counts as above itself).
    public func commonAncestor(_ codes: [String]) -> String? {
        guard var common = codes.first.map({ register.lineage(of: $0) }) else { return nil }
        for c in codes.dropFirst() {
            let l = Set(register.lineage(of: c))
            common = common.filter { l.contains($0) }
        }
        return common.first
    }
}

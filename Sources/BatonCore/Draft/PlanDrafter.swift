import Foundation

/// Reads the text of a kế hoạch (or a directive letter) into a draft plan document: the header,
/// who leads each duty (by heading, by subject, by "giao … chủ trì, phối hợp …"), the due forms
/// of its set phrases and its targets. It never invents an agency or a date: what it cannot read
/// goes to the review list with its line.
public struct PlanDrafter: Sendable {
    public let register: AgencyRegister
    /// The issuer's code when the caller knows it; otherwise it is read from the text.
    public let issuer: String?

    /// Texts longer than this are refused (a 30-page plan is about 100,000 characters).
    public static let maxCharacters = 3_000_000

    /// A drafter that matches agencies against `register`.
    public init(register: AgencyRegister, issuer: String? = nil) {
        self.register = register
        self.issuer = issuer
    }

    /// The draft of this plan text; an empty text or one in another language is `validation_failed`.
    public func draft(_ raw: String) throws -> PlanDraft {
        let text = VietnameseText.normalize(raw)
        guard text.contains(where: { $0.isLetter }) else { throw BatonError.invalid(nil, "the document has no text") }
        guard text.count <= Self.maxCharacters else { throw BatonError.invalid(nil, "the text is longer than \(Self.maxCharacters) characters") }
        guard VietnameseText.looksVietnamese(text) else {
            throw BatonError.invalid(nil, "the text is not in Vietnamese; the drafter reads Vietnamese plans (kế hoạch)")
        }
        if let issuer, !register.contains(issuer) { throw BatonError.invalid("issuer", "no agency of the register has the code \(issuer)") }
        var reader = Reader(register: register, issuer: issuer, outline: PlanOutline(text: text))
        reader.run()
        return reader.draft
    }
}

/// The drafting rules, applied once over one text.
private struct Reader {
    enum Section { case objectives, skip, report, assign, content(issuerDuties: Bool) }

    struct Context {
        var section: Section
        var leads: [LeadForm]?
        var cooperating: [String] = []
    }

    let register: AgencyRegister
    var matcher: AgencyMatcher
    let paragraphs: [PlanOutline.Node]
    var draft = PlanDraft()
    var year: Int?
    var addressees: [LeadForm] = []
    var headingLeads: [LeadForm] = []
    var defaultLead: [LeadForm]?
    /// The subject last named in the current section.
    var sectionSubject: [LeadForm]?
    var keys: Set<String> = []

    init(register: AgencyRegister, issuer: String?, outline: PlanOutline) {
        self.register = register
        matcher = AgencyMatcher(register: register, issuer: issuer)
        var kept: [PlanOutline.Node] = []
        for p in outline.paragraphs {
            if VietnameseText.foldWord(p.text.prefix(9)).hasPrefix("noi nhan") { break }
            kept.append(p)
        }
        paragraphs = kept
        draft.issuer = issuer
    }

    static func words(_ s: String) -> [String] { VietnameseText.tokens(s) }
    static func has(_ w: [String], _ phrase: String) -> Bool {
        let p = phrase.split(separator: " ").map(String.init)
        guard p.count <= w.count else { return false }
        return (0...(w.count - p.count)).contains { AgencyMatcher.starts(w, $0, p) }
    }

    mutating func run() {
        let bodyStart = paragraphs.firstIndex { $0.marker == .roman }
            ?? paragraphs.firstIndex { $0.marker == .number } ?? paragraphs.count
        let intro = Array(paragraphs[..<bodyStart])
        readHeader(intro)
        if draft.issuer == nil { findIssuer(intro) }
        matcher = matcher.with(issuer: draft.issuer)
        readAddressLines(intro)
        let tree = PlanOutline.tree(paragraphs[bodyStart...])
        let topSection: Section = paragraphs[bodyStart...].contains { $0.marker == .roman } ? .content(issuerDuties: false) : .assign
        collectHeadings(tree, section: topSection)
        addressees = groupOf(addressees.isEmpty ? headingLeads.filter { $0 != draft.issuer.map(LeadForm.agency) } : addressees)
        walk(tree, Context(section: topSection))
        for t in draft.tasks where t.due == nil {
            if case .unread = DeadlinePhrase.read(t.description, year: year) {
                draft.review.append(ReviewItem(line: t.line, kind: .deadline, text: t.description,
                                               message: "a deadline with no day to read (định kỳ …, a date without its year, several dates); give \(t.key) its due form"))
            }
        }
    }

    // MARK: Header

    mutating func readHeader(_ intro: [PlanOutline.Node]) {
        let firstLine = paragraphs.first?.line ?? 1
        var titleIndex: Int?
        for (i, p) in intro.enumerated() {
            let w = Self.words(p.text)
            if draft.number == nil, let m = p.text.firstMatch(of: /^[Ss]ố\s*:?\s*(.*)$/) {
                let n = m.output.1.trimmingCharacters(in: .whitespaces)
                if n.first?.isNumber == true { draft.number = n } else {
                    draft.review.append(ReviewItem(line: p.line, kind: .header, text: p.text, message: "the plan's number is blank; write one"))
                }
            }
            let line = w.joined(separator: " ")
            if year == nil, p.text.count < 120, let m = line.firstMatch(of: /ngay (?:(\d{1,2}) )?thang (?:(\d{1,2}) )?nam (\d{4})/) {
                year = Int(m.output.3)
                if let d = m.output.1.flatMap({ Int($0) }), let mo = m.output.2.flatMap({ Int($0) }), let y = year, let date = LocalDate(year: y, month: mo, day: d) {
                    draft.issuedOn = date
                } else {
                    draft.review.append(ReviewItem(line: p.line, kind: .header, text: p.text, message: "the date of issue is incomplete; write issued_on"))
                }
            }
            if titleIndex == nil, line == "ke hoach" { titleIndex = i + 1 }
            if draft.title == nil, let m = p.text.firstMatch(of: /^[Vv]\/[Vv]\s*:?\s*(.+)$/) { draft.title = String(m.output.1) }
        }
        if let start = titleIndex, start < intro.count {
            var title = intro[start].text
            var next = start + 1
            while title.count < 100, next < intro.count, intro[next].text.count < 100, !PlanOutline.endsSentence(intro[next].text) {
                title += " " + intro[next].text
                next += 1
            }
            draft.title = title.trimmingCharacters(in: CharacterSet(charactersIn: " .:"))
            let basis = intro[next...].filter {
                let f = VietnameseText.foldWord($0.text.prefix(10))
                return f.hasPrefix("can cu") || f.hasPrefix("thuc hien")
            }.map(\.text).joined(separator: " ")
            if !basis.isEmpty { draft.basis = String(basis.prefix(5_000)) }
        } else if draft.title == nil {
            let basis = intro.filter { VietnameseText.foldWord($0.text.prefix(10)).hasPrefix("can cu") }.map(\.text).joined(separator: " ")
            if !basis.isEmpty { draft.basis = String(basis.prefix(5_000)) }
        }
        if draft.title == nil {
            draft.review.append(ReviewItem(line: firstLine, kind: .header, text: intro.first?.text ?? "", message: "no title (the line after KẾ HOẠCH, or V/v); write one"))
        }
        if draft.number == nil && !draft.review.contains(where: { $0.message.contains("number") }) {
            draft.review.append(ReviewItem(line: firstLine, kind: .header, text: intro.first?.text ?? "", message: "no number (Số: …/KH-…); write one"))
        }
        if year == nil {
            draft.review.append(ReviewItem(line: firstLine, kind: .header, text: intro.first?.text ?? "", message: "no date of issue (…, ngày … tháng … năm …); write issued_on"))
        }
    }

    /// "Sở Giáo dục và Đào tạo (GD&ĐT) xây dựng Kế hoạch …", "Ban Chỉ đạo 138 huyện xây dựng …",
    /// "Sở GDĐT đề nghị …": the agency just before the verb that issues.
    mutating func findIssuer(_ intro: [PlanOutline.Node]) {
        let verbs: [[String]] = [["xay", "dung", "ke", "hoach"], ["ban", "hanh", "ke", "hoach"], ["de", "nghi"], ["yeu", "cau"]]
        for p in intro {
            let w = Self.words(p.text)
            for k in w.indices where verbs.contains(where: { AgencyMatcher.starts(w, k, $0) }) {
                var end = k
                if end > 0, w[end - 1] == ")", let open = w[..<end].lastIndex(of: "("), end - open < 8 { end = open }
                for start in stride(from: max(0, end - 14), to: end, by: 1) {
                    if let m = matcher.match(w, at: start), start + m.length == end, case .lead(.agency(let code)) = m.mention {
                        draft.issuer = code
                        return
                    }
                }
            }
        }
        draft.review.append(ReviewItem(line: intro.first?.line ?? 1, kind: .header, text: intro.first?.text ?? "",
                                       message: "the issuing agency was not found in the register; write issuer (or pass --issuer)"))
    }

    /// "Kính gửi: …" lists who the letter addresses; "đề nghị … thực hiện những nội dung sau" makes
    /// them the lead of every numbered item that names no one else.
    mutating func readAddressLines(_ intro: [PlanOutline.Node]) {
        var inList = false
        for p in intro {
            let w = Self.words(p.text)
            if AgencyMatcher.starts(w, 0, ["kinh", "gui"]) {
                inList = true
                if let colon = w.firstIndex(of: ":"), colon + 1 < w.count { addAddressee(Array(w[(colon + 1)...]), line: p.line) }
                continue
            }
            if inList {
                if p.marker == .dash { addAddressee(w, line: p.line); continue }
                inList = false
            }
            if Self.has(w, "de nghi"), Self.has(w, "noi dung sau") || Self.has(w, "nhu sau") {
                defaultLead = []
            }
        }
    }

    mutating func addAddressee(_ w: [String], line: Int) {
        guard let m = matcher.match(w, at: 0) else { return }
        switch m.mention {
        case .lead(let l): addressees.append(l)
        case .unknown(let name):
            draft.review.append(ReviewItem(line: line, kind: .agency, text: name, message: "an addressee that matches no agency of the register"))
        case .addressees: break
        }
    }

    /// The addressees as few fan-outs as reach them all: a group inside another is dropped, and
    /// three or more agencies and subtrees become every agency under their common ancestor.
    func groupOf(_ forms: [LeadForm]) -> [LeadForm] {
        var unique: [LeadForm] = []
        for f in forms where !unique.contains(f) { unique.append(f) }
        let reach = unique.map { register.reach($0, issuer: draft.issuer) }
        var kept: [LeadForm] = []
        for (i, f) in unique.enumerated() {
            let covered = unique.indices.contains { j in
                j != i && reach[i].isSubset(of: reach[j]) && (reach[i] != reach[j] || j < i)
                    && !(reach[j].isEmpty)
            }
            if !covered { kept.append(f) }
        }
        if kept.count >= 3 {
            var roots: [String] = []
            for f in kept {
                switch f {
                case .agency(let c), .eachUnder(let c): roots.append(c)
                case .eachOfKind: return kept
                }
            }
            if let top = matcher.commonAncestor(roots), !kept.contains(.agency(top)) { return [.eachUnder(top)] }
        }
        return kept
    }

    // MARK: Sections

    static func classify(_ heading: String) -> Section {
        let w = words(heading)
        if ["muc tieu", "muc dich", "yeu cau", "chi tieu"].contains(where: { has(w, $0) }) { return .objectives }
        if ["doi tuong", "thoi gian", "pham vi", "kinh phi", "tinh hinh", "ket qua"].contains(where: { has(w, $0) }) { return .skip }
        if ["to chuc thuc hien", "phan cong", "trach nhiem"].contains(where: { has(w, $0) }) { return .assign }
        if has(w, "bao cao") { return .report }
        return .content(issuerDuties: has(w, "nhiem vu") || has(w, "giai phap"))
    }

    /// A heading that names agencies ("1. Công an huyện", "Đối với Phòng GD&ĐT:",
    /// "Ủy ban MTTQ huyện và tổ chức chính trị - xã hội thành viên"): its leads, the cooperating
    /// members, and names it could not match.
    func heading(_ text: String) -> (leads: [LeadForm], cooperating: [String], unknown: [String])? {
        var w = Self.words(text)
        while let last = w.last, AgencyMatcher.punctuation.contains(last) { w.removeLast() }
        if AgencyMatcher.starts(w, 0, ["doi", "voi"]) { w.removeFirst(2) }
        guard !w.isEmpty, w.count <= 30 else { return nil }
        var leads: [LeadForm] = []
        var unknown: [String] = []
        var i = 0
        while i < w.count {
            if w[i] == "," || w[i] == "va" { i += 1; continue }
            guard let m = matcher.match(w, at: i) else { break }
            switch m.mention {
            case .lead(let l): leads.append(l)
            case .unknown(let name): unknown.append(name)
            case .addressees: return nil
            }
            i += m.length
        }
        let rest = Array(w[i...])
        var cooperating: [String] = []
        if !rest.isEmpty {
            guard Self.has(rest, "thanh vien"), case .agency(let code)? = leads.first else { return nil }
            cooperating = register.children(of: code)
        }
        guard !leads.isEmpty || !unknown.isEmpty else { return nil }
        return (groupOf(leads), cooperating, unknown)
    }

    mutating func collectHeadings(_ nodes: [PlanOutline.Node], section: Section) {
        for n in nodes {
            var s = section
            if n.marker == .roman { s = Self.classify(n.text) }
            if case .objectives = s { continue }
            if case .skip = s { continue }
            if n.marker == .number || n.marker == .subnumber || n.marker == .letter, let h = heading(n.text) {
                headingLeads.append(contentsOf: h.leads)
            }
            collectHeadings(n.children, section: s)
        }
    }

    mutating func walk(_ nodes: [PlanOutline.Node], _ ctx: Context, underHeading: Bool = false) {
        for n in nodes {
            switch n.marker {
            case .roman:
                let section = Self.classify(n.text)
                switch section {
                case .objectives: readTargets(n.children)
                case .skip: continue
                default:
                    sectionSubject = nil
                    walk(n.children, Context(section: section, leads: nil))
                }
            case .number, .subnumber, .letter:
                if let h = heading(n.text) {
                    for name in h.unknown {
                        draft.review.append(ReviewItem(line: n.line, kind: .agency, text: name,
                                                       message: "a heading that matches no agency of the register; its duties were not drafted"))
                    }
                    if h.leads.isEmpty { continue }
                    walk(n.children, Context(section: ctx.section, leads: h.leads, cooperating: h.cooperating))
                } else {
                    if PlanOutline.endsSentence(n.text) { unit(n.text, line: n.line, paragraph: false, numbered: true, ctx) }
                    walk(n.children, ctx, underHeading: !PlanOutline.endsSentence(n.text))
                }
            case .dash, .plus, .none:
                var text = n.text
                for c in n.children {
                    // "- … định kỳ: + Báo cáo 6 tháng: trước ngày 01/6 …; + Báo cáo năm: …": one duty.
                    if c.marker == .plus, text.last == "." { text.removeLast() }
                    text += (text.last == ":" ? " " : PlanOutline.endsSentence(text) && c.marker != .plus ? " " : "; ") + c.text
                }
                unit(text, line: n.line, paragraph: n.marker == .none, numbered: false, underHeading: underHeading, ctx)
            }
        }
    }

    // MARK: Duties

    /// One bullet, numbered item or paragraph of duties.
    mutating func unit(_ text: String, line: Int, paragraph: Bool, numbered: Bool, underHeading: Bool = false, _ ctx: Context) {
        if VietnameseText.foldWord(text.prefix(12)).hasPrefix("tren day la") { return }
        if let leads = ctx.leads {
            let parts = paragraph ? PlanOutline.sentences(text) : Self.byDeadline(text)
            for part in parts where !skip(Self.words(part)) {
                if isMonitor(Self.words(part)) {
                    if case .agency(let code)? = leads.first { draft.monitor = code }
                    continue
                }
                for lead in leads { addTask(part, line: line, lead: lead, extra: ctx.cooperating) }
            }
            return
        }
        let sentences = PlanOutline.sentences(text)
        let firstSubject = sentences.first.flatMap { subject(Self.words($0)) }
        let anySubject = sentences.contains { subject(Self.words($0)) != nil }
        if let d = defaultLead, numbered, firstSubject == nil || firstSubject?.mentions == [.addressees] {
            let leads = d.isEmpty ? addressees : d
            if leads.isEmpty {
                draft.review.append(ReviewItem(line: line, kind: .phrase, text: text, message: "a duty for the addressees, whom the register does not hold"))
            }
            for part in Self.byDeadline(text) where !skip(Self.words(part)) {
                for lead in leads { addTask(part, line: line, lead: lead) }
            }
            return
        }
        if !anySubject, Self.isDirection(Self.words(text)) { return }
        if numbered, !anySubject, case .content(issuerDuties: true) = ctx.section, let issuer = draft.issuer {
            for part in Self.byDeadline(text) where !skip(Self.words(part)) { addTask(part, line: line, lead: .agency(issuer)) }
            return
        }
        // A paragraph under a numbered heading that names no one continues the subject last named in its section.
        if paragraph, underHeading, !anySubject, let leads = sectionSubject {
            for part in Self.byDeadline(text) where !skip(Self.words(part)) {
                for lead in leads { addTask(part, line: line, lead: lead) }
            }
            return
        }
        var current: [LeadForm]? = defaultLead.map { $0.isEmpty ? addressees : $0 }
        var lastTask: Int?
        for sentence in sentences {
            let w = Self.words(sentence)
            if VietnameseText.foldWord(sentence.prefix(12)).hasPrefix("tren day la") { continue }
            if let s = subject(w) {
                var leads: [LeadForm] = []
                for m in s.mentions {
                    switch m {
                    case .lead(let l): leads.append(l)
                    case .addressees: leads.append(contentsOf: addressees)
                    case .unknown(let name):
                        draft.review.append(ReviewItem(line: line, kind: .agency, text: name,
                                                       message: "names an agency the register lacks, or a group no fan-out reaches exactly; the duty was not drafted"))
                    }
                }
                leads = groupOf(leads)
                if leads.isEmpty { current = nil; continue }
                current = leads
                sectionSubject = leads
                if isMonitor(w) {
                    if case .agency(let code) = leads[0] { draft.monitor = code }
                    // "… theo dõi, đôn đốc, tổng hợp báo cáo … trước ngày 15/8/2025": the dated report is a duty too.
                    guard case .due = DeadlinePhrase.read(sentence, year: year) else { continue }
                }
                if skip(Array(w[s.end...])) { continue }
                lastTask = nil
                for part in Self.byDeadline(sentence) {
                    for lead in leads {
                        if let i = addTask(part, line: line, lead: lead, report: isReport(ctx)), lastTask == nil { lastTask = i }
                    }
                }
                if lastTask == nil { lastTask = draft.tasks.indices.last }
            } else if let leads = current {
                if skip(w) { continue }
                let phrase = DeadlinePhrase.read(sentence, year: year)
                if let i = lastTask, phrase == .none || phrase == .ongoing {
                    for j in i..<draft.tasks.count { draft.tasks[j].description += " " + sentence }
                    continue
                }
                lastTask = nil
                for part in Self.byDeadline(sentence) {
                    for lead in leads {
                        if let i = addTask(part, line: line, lead: lead, report: isReport(ctx)), lastTask == nil { lastTask = i }
                    }
                }
            } else if case .assign = ctx.section, !skip(w) {
                draft.review.append(ReviewItem(line: line, kind: .phrase, text: sentence, message: "a duty that names no agency; assign it or leave it out"))
            } else if DeadlinePhrase.read(sentence, year: year) != .none, !skip(w) {
                draft.review.append(ReviewItem(line: line, kind: .phrase, text: sentence, message: "a deadline with no agency to carry it"))
            }
        }
    }

    func isReport(_ ctx: Context) -> Bool {
        if case .report = ctx.section { return true }
        return false
    }

    /// "Theo dõi, … đôn đốc" or "Cơ quan Thường trực": the office that follows the plan.
    func isMonitor(_ w: [String]) -> Bool {
        Self.has(w, "theo doi") && (Self.has(w, "don doc") || Self.has(w, "thuong truc"))
    }

    /// Exhortations and reminders that are no duty: "tổ chức triển khai thực hiện Kế hoạch này",
    /// "khó khăn, vướng mắc … phản ánh", "chịu trách nhiệm khi để xảy ra …".
    func skip(_ w: [String]) -> Bool {
        let plain = w.filter { !AgencyMatcher.punctuation.contains($0) }
        if plain.isEmpty { return true }
        if Self.has(w, "kho khan , vuong mac") && (Self.has(w, "phan anh") || Self.has(w, "huong dan")) { return true }
        if Self.has(w, "chiu trach nhiem khi") { return true }
        return plain.count <= 14 && Self.has(w, "trien khai thuc hien") && !Self.has(w, "bao cao")
    }

    /// The subject of a sentence: the agencies it begins with (after "Giao", "Đề nghị", "Đồng thời,",
    /// or a clause "Căn cứ …, " / "Trên cơ sở …, "), and where the rest of the sentence starts.
    func subject(_ w: [String]) -> (mentions: [AgencyMatcher.Mention], end: Int)? {
        var i = 0
        for lead in [["giao"], ["de", "nghi"], ["yeu", "cau"], ["dong", "thoi", ","], ["dong", "thoi"]] where AgencyMatcher.starts(w, i, lead) {
            i += lead.count
            break
        }
        if AgencyMatcher.starts(w, i, ["can", "cu"]) || AgencyMatcher.starts(w, i, ["tren", "co", "so"]) {
            for (k, t) in w.enumerated() where t == "," && k > i && k < 60 {
                if let s = mentions(w, from: k + 1) { return s }
            }
            return nil
        }
        guard let s = mentions(w, from: i) else { return nil }
        // "<issuer> đề nghị / yêu cầu / giao <X> …": X is the subject.
        if s.mentions == [.lead(.agency(draft.issuer ?? ""))] {
            for verb in [["de", "nghi"], ["yeu", "cau"], ["giao"]] where AgencyMatcher.starts(w, s.end, verb) {
                if let x = mentions(w, from: s.end + verb.count) { return x }
            }
        }
        return s
    }

    func mentions(_ w: [String], from start: Int) -> (mentions: [AgencyMatcher.Mention], end: Int)? {
        var i = start
        var found: [AgencyMatcher.Mention] = []
        while i < w.count, let m = matcher.match(w, at: i) {
            found.append(m.mention)
            i += m.length
            // "Viện Kiểm sát nhân dân, Toà án nhân dân huyện": one more agency after a comma or "và".
            if i + 1 < w.count, w[i] == "," || w[i] == "va", matcher.match(w, at: i + 1) != nil { i += 1 } else { break }
            // "Công an huyện – Cơ quan Thường trực …" is one agency with its role.
        }
        return found.isEmpty ? nil : (found, i)
    }

    /// Splits a duty where one of its sentences (or clauses) carries a deadline of its own.
    static func byDeadline(_ text: String) -> [String] {
        var parts: [String] = []
        var undated = ""
        for s in PlanOutline.sentences(text) {
            switch DeadlinePhrase.read(s, year: nil) {
            case .none, .ongoing: undated += (undated.isEmpty ? "" : " ") + s
            case .unread(let why) where why.hasPrefix("several"):
                parts.append(contentsOf: byClause(s))
            default: parts.append(s)
            }
        }
        if !undated.isEmpty { parts.insert(undated, at: 0) }
        return parts
    }

    /// "… nhân Tháng A (tháng 6/2023), Tháng B (tháng 3/2023), tạo điều kiện …": one part per date.
    static func byClause(_ sentence: String) -> [String] {
        let clauses = sentence.components(separatedBy: ", ")
        let dated = clauses.indices.filter { DeadlinePhrase.read(clauses[$0], year: nil) != .none }
        guard dated.count >= 2, let last = dated.last else { return [sentence] }
        let tail = clauses[(last + 1)...].joined(separator: ", ")
        var start = 0
        return dated.map { i in
            defer { start = i + 1 }
            return (clauses[start...i] + (tail.isEmpty ? [] : [tail])).joined(separator: ", ")
        }
    }

    /// The agencies a duty's text says cooperate: "phối hợp (chặt chẽ) (với) X, Y và Z".
    func cooperating(_ w: [String]) -> [String] {
        var out: [String] = []
        for k in w.indices where AgencyMatcher.starts(w, k, ["phoi", "hop"]) {
            var j = k + 2
            for filler in [["chat", "che"], ["voi"], ["cung"], ["nganh"], ["luc", "luong"]] where AgencyMatcher.starts(w, j, filler) {
                j += filler.count
            }
            while let m = matcher.match(w, at: j), case .lead(.agency(let code)) = m.mention {
                if !out.contains(code) { out.append(code) }
                j += m.length
                if j < w.count, w[j] == "," || w[j] == "va" { j += 1 } else { break }
            }
        }
        return out
    }

    @discardableResult
    mutating func addTask(_ text: String, line: Int, lead: LeadForm, extra: [String] = [], report: Bool = false) -> Int? {
        let w = Self.words(text)
        var due: DueForm?
        if case .due(let d) = DeadlinePhrase.read(text, year: year) { due = d }
        let leadCode: String? = if case .agency(let c) = lead { c } else { nil }
        var coop = extra
        for c in cooperating(w) where !coop.contains(c) { coop.append(c) }
        coop.removeAll { $0 == leadCode }
        let description = text.trimmingCharacters(in: .whitespaces)
        if draft.tasks.contains(where: { $0.lead == lead && $0.description == description }) { return nil }
        // A reporting section's schedule dates the periodic report the same agencies were given.
        if report, let d = due, d.isRecurring,
           let i = draft.tasks.firstIndex(where: { $0.lead == lead && $0.due == nil && Self.isPeriodicReport(Self.words($0.description)) }) {
            draft.tasks[i].due = d
            draft.tasks[i].description += " " + description
            return i
        }
        var key = Self.slug(description, words: 5)
        if keys.contains(key) {
            var n = 2
            while keys.contains("\(key)-\(n)") { n += 1 }
            key = "\(key)-\(n)"
        }
        keys.insert(key)
        draft.tasks.append(PlanDraft.Task(key: key, title: Self.title(description), description: description, lead: lead,
                                          cooperating: coop, due: due, line: line))
        return draft.tasks.count - 1
    }

    /// General directions ("Tăng cường …", "Nâng cao hiệu quả …", "Đẩy mạnh …", "Đổi mới …") that
    /// name no one are aims of the plan, not duties.
    static func isDirection(_ w: [String]) -> Bool {
        [["tang", "cuong"], ["nang", "cao"], ["day", "manh"], ["doi", "moi"]].contains { AgencyMatcher.starts(w, 0, $0) }
    }

    static func isPeriodicReport(_ w: [String]) -> Bool {
        has(w, "bao cao") && (has(w, "dinh ky") || has(w, "hang nam") || has(w, "6 thang") || has(w, "06 thang"))
    }

    /// The first clause of a duty, at most about 160 characters, cut at a word.
    static func title(_ text: String) -> String {
        var t = text
        for lead in ["Đồng thời, ", "Đồng thời ", "Giao ", "Đề nghị "] where t.hasPrefix(lead) {
            t = String(t.dropFirst(lead.count))
            break
        }
        if let cut = t.firstIndex(where: { $0 == ";" || $0 == ":" }), t.distance(from: t.startIndex, to: cut) >= 30 { t = String(t[..<cut]) }
        if t.count > 160 {
            t = String(t.prefix(160))
            if let space = t.lastIndex(of: " ") { t = String(t[..<space]) }
            t += " …"
        }
        t = t.trimmingCharacters(in: CharacterSet(charactersIn: " .;,/"))
        return t.prefix(1).uppercased() + t.dropFirst()
    }

    /// A lower-case key from the first words of a text: "xay-dung-ke-hoach-phoi-hop".
    static func slug(_ text: String, words count: Int) -> String {
        let stop: Set<String> = ["cac", "va", "cua", "ve", "voi", "cho", "de", "tai", "trong", "nhung", "mot", "so", "la"]
        let w = VietnameseText.tokens(text).filter { $0.allSatisfy { $0.isLetter || $0.isNumber } && !stop.contains($0) }
        let s = w.prefix(count).joined(separator: "-").filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        return s.isEmpty ? "task" : String(s.prefix(60))
    }

    // MARK: Targets

    /// "70% học sinh …", "Mỗi đơn vị …" (every one: 100%), "… tỷ lệ giải quyết đạt 100%",
    /// "Kéo giảm 10% số vụ …" (reduce_by; its baseline is for the reviewer).
    mutating func readTargets(_ nodes: [PlanOutline.Node]) {
        for n in nodes {
            readTargets(n.children)
            guard n.marker == .dash || n.marker == .plus || n.marker == .none else { continue }
            let text = n.text
            var found: [(String, Indicator.Direction, Double)] = []
            if let m = text.firstMatch(of: /^(\d{1,3})\s*%\s*(.+)$/), let v = Double(m.output.1) {
                found.append((String(m.output.2), .atLeast, v))
            } else if let m = text.firstMatch(of: /^(?:[Mm]ỗi|[Tt]ất cả)\s+(.+)$/) {
                found.append((String(m.output.1), .atLeast, 100))
            } else if let m = text.firstMatch(of: /^(?:[Kk]éo\s+)?[Gg]iảm\s+(\d{1,3})\s*%\s*(.+)$/), let v = Double(m.output.1) {
                found.append((String(m.output.2), .reduceBy, v))
            }
            for m in text.matches(of: /([Tt]ỷ lệ|[Tt]ỉ lệ)\s+([^,;.%]{3,80}?)\s+đạt\s+(\d{1,3})\s*%/) {
                if let v = Double(m.output.3) { found.append(("Tỷ lệ " + m.output.2, .atLeast, v)) }
            }
            for (name, direction, target) in found where target <= 100 {
                var clean = name
                if let cut = clean.firstIndex(where: { $0 == ";" || $0 == "." }) { clean = String(clean[..<cut]) }
                if let cut = clean.range(of: ", trong đó") { clean = String(clean[..<cut.lowerBound]) }
                clean = clean.trimmingCharacters(in: .whitespaces)
                guard !clean.isEmpty else { continue }
                clean = clean.prefix(1).uppercased() + clean.dropFirst()
                var key = Self.slug(clean, words: 4)
                let existing = Set(draft.indicators.map(\.key))
                if existing.contains(key) {
                    var k = 2
                    while existing.contains("\(key)-\(k)") { k += 1 }
                    key = "\(key)-\(k)"
                }
                draft.indicators.append(PlanDraft.Target(key: key, name: String(clean.prefix(1_000)), unit: direction == .reduceBy ? .count : .percent,
                                                         direction: direction,
                                                         target: target, line: n.line))
                if direction == .reduceBy {
                    draft.review.append(ReviewItem(line: n.line, kind: .indicator, text: text,
                                                   message: "a reduction target needs its baseline (the figure it reduces from); add baseline to \(key)"))
                }
            }
        }
    }
}

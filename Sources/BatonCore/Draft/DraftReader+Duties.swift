import Foundation

/// Duties: who leads each bullet, item or sentence, who cooperates, when it is due, and the task it becomes.
extension DraftReader {
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
}

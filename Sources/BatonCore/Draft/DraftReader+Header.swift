import Foundation

/// The header: number, date, title, basis, issuer, addressees; and addressees as few fan-outs as reach them.
extension DraftReader {
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
}

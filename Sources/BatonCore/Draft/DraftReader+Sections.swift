import Foundation

/// Sections and headings: which sections assign work, which headings name agencies, and the walk over them.
extension DraftReader {
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
                    // The heading as written, for the reviewer (the unknown names are folded, without diacritics).
                    for _ in h.unknown {
                        draft.review.append(ReviewItem(line: n.line, kind: .agency, text: n.text,
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
}

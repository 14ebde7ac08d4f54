import Foundation

/// The drafting rules, applied once over one text.
struct DraftReader {
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
}

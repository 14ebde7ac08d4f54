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
        var reader = DraftReader(register: register, issuer: issuer, outline: PlanOutline(text: text))
        reader.run()
        return reader.draft
    }
}

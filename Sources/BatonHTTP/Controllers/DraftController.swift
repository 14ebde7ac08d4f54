import BatonCore
import BatonStore
import Foundation
import Hummingbird
import BatonWeb
import PlanFiles

/// `POST /v1/plans/draft`: a plan's file in, a draft plan document, its YAML and the review list out.
struct DraftController {
    let store: BatonStore

    func addRoutes(to routes: Routes) {
        routes.post("plans/draft") { request, context, body in
            let who = try context.caller()
            guard who.isAdmin || who.has(.committee) else { throw BatonError(.forbidden, "only a committee member or an admin drafts plans") }
            let format = try Self.format(request)
            let draft = try await Drafting.draft(body, format: format, issuer: request.query("issuer"), store: store)
            let answer: JSONValue = .object([
                "document": draft.document, "yaml": .string(draft.yaml), "review": .array(draft.review.map(\.json)),
            ])
            return try .json(answer)
        }
    }

    /// The file's format: `?filename=KEHOACH.docx` first, else the Content-Type.
    static func format(_ request: Request) throws -> PlanFile.Format {
        if let name = request.query("filename") {
            guard let format = PlanFile.Format(filename: name) else {
                throw BatonError(.unsupportedMediaType, "\(name.prefix(80)): the drafter reads .docx, .pdf, .txt and .md files")
            }
            return format
        }
        guard let type = RequestBodyReader.mediaType(request), let format = PlanFile.Format(mediaType: type) else {
            throw BatonError(.unsupportedMediaType, "send the plan as a Word document (.docx), application/pdf, text/plain or text/markdown, or name it with ?filename=")
        }
        return format
    }
}

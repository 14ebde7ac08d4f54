import BatonCore
import BatonStore
import Foundation
import NIOPosix
import PlanFiles

/// How a plan's file becomes a draft plan document: its text read off the event loop (unzipping,
/// XML and pdftotext block), then the drafter's rules against the agency register. The API's
/// `POST /v1/plans/draft` and the import page both ask here.
public enum Drafting {
    public static func draft(_ data: Data, format: PlanFile.Format, issuer: String?, store: BatonStore) async throws -> PlanDraft {
        let text = try await NIOThreadPool.singleton.runIfActive { try PlanFile.text(of: data, format: format) }
        return try PlanDrafter(register: try await store.agencyRegister(), issuer: issuer).draft(text)
    }
}

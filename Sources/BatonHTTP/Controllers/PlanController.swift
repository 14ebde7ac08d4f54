import BatonCore
import BatonStore
import Foundation
import Hummingbird

/// `/v1/plans`: issue plans, import plan documents (JSON or YAML), read progress.
struct PlanController {
    let store: BatonStore

    func addRoutes(to routes: Routes) {
        routes.get("plans") { request, context in
            try .json(try await store.plans(for: try context.caller(), page: try Query.page(request)))
        }
        routes.get("plans/:id") { request, context in
            try .json(try await store.plan(id: try request.uuid(context, "id", what: "plan"), for: try context.caller()))
        }
        routes.post("plans") { request, context, body in
            let json = try RequestBodyReader.json(request, data: body)
            if json["tasks"] != nil {
                throw BatonError(.validationFailed, "a plan with tasks is a plan document: POST it to /v1/plans/import", field: "tasks")
            }
            let created = try await store.createPlan(try PlanDocument(json: json, tasksAllowed: false), by: try context.caller())
            return try Self.created(created.plan)
        }
        routes.post("plans/import") { request, context, body in
            let who = try context.caller()
            let document = try RequestBodyReader.document(request, data: body)
            let created = try await store.createPlan(try PlanDocument(json: document), by: who)
            return try Self.created(created.plan)
        }
    }

    static func created(_ plan: PlanRecord) throws -> APIResponse {
        try .json(plan, status: .created, headers: ["Location": "/v1/plans/\(plan.id.lower)"])
    }
}

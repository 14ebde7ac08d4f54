import BatonCore
import BatonStore
import Foundation
import Hummingbird

/// What a plan carries beyond its tasks: the cascade of sub-plans, indicators, incident reports.
struct ProgrammeController {
    let store: BatonStore

    func addRoutes(to routes: Routes) {
        routes.get("plans/:id/tree") { request, context in
            try .json(try await store.planTree(id: try request.uuid(context, "id", what: "plan"), for: try context.caller()))
        }
        routes.get("plans/:id/indicators") { request, context in
            let list = try await store.indicators(planID: try request.uuid(context, "id", what: "plan"), for: try context.caller())
            return try .json(IndicatorList(items: list))
        }
        routes.post("plans/:id/indicators/:key/reports") { request, context, body in
            let plan = try request.uuid(context, "id", what: "plan")
            let key = context.parameters.get("key") ?? ""
            let report = try IndicatorReport(json: try RequestBodyReader.json(request, data: body))
            return try .json(try await store.reportIndicator(planID: plan, key: key, report: report, by: try context.caller()), status: .created,
                             headers: ["Location": "/v1/plans/\(plan.lower)/indicators"])
        }
        routes.post("plans/:id/incidents") { request, context, body in
            let plan = try request.uuid(context, "id", what: "plan")
            let report = try IncidentReport(json: try RequestBodyReader.json(request, data: body))
            return try .task(try await store.reportIncident(planID: plan, title: report.title, description: report.description,
                                                            by: try context.caller()), status: .created)
        }
    }
}

/// `{"items": [...]}` for short lists that need no paging.
struct IndicatorList: JSONWritable {
    let items: [IndicatorStatus]
    func write(to w: inout JSONWriter) {
        w.openObject()
        w.field("items", items)
        w.closeObject()
    }
}

import BatonCore
import BatonStore
import Hummingbird

/// `/v1/agencies`: the tree of agencies, searchable with or without diacritics.
struct AgencyController {
    let store: BatonStore

    func addRoutes(to routes: Routes) {
        routes.get("agencies") { request, _ in
            let kind = try request.query("kind").map { try Text.kind($0, field: "kind") }
            let page = try await store.agencies(kind: kind, parent: try Query.code(request, "parent"), query: request.query("q"), page: try Query.page(request))
            return try .json(page)
        }
        routes.get("agencies/:code") { _, context in
            let code = context.parameters.get("code") ?? ""
            guard let agency = try await store.agency(code: code) else { throw BatonError(.notFound, "agency \(code.prefix(70)) was not found") }
            return try .json(agency)
        }
        routes.post("agencies") { request, context, body in
            guard try context.caller().isAdmin else { throw BatonError(.forbidden, "only an admin adds agencies") }
            let agency = try await store.addAgency(try AgencySpec(json: try RequestBodyReader.json(request, data: body)))
            return try .json(agency, status: .created, headers: ["Location": "/v1/agencies/\(agency.code)"])
        }
    }
}

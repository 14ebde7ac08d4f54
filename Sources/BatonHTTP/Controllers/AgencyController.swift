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
            let json = try RequestBodyReader.json(request, data: body)
            guard let o = json.objectValue else { throw BatonError(.validationFailed, "the body must be an object") }
            if let extra = o.keys.sorted().first(where: { !["code", "name", "kind", "parent"].contains($0) }) {
                throw BatonError(.validationFailed, "is not a field of an agency", field: extra)
            }
            let agency = try await store.addAgency(code: o["code"]?.stringValue ?? "", name: try Text.words(o["name"], field: "name", max: 500)!,
                                                   kind: o["kind"]?.stringValue ?? "", parent: o["parent"]?.stringValue)
            return try .json(agency, status: .created, headers: ["Location": "/v1/agencies/\(agency.code)"])
        }
    }
}

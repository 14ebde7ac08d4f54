import BatonCore
import BatonStore
import Foundation
import Hummingbird
import Prometheus

/// Health, readiness, metrics, the OpenAPI document and the board page: the routes outside `/v1`.
struct SystemController {
    let store: BatonStore
    let registry: PrometheusCollectorRegistry

    func addRoutes(to router: Router<BatonRequestContext>) {
        router.get("healthz") { _, _ in
            try APIResponse.json(JSONValue.object(["status": .string("ok")])).response
        }
        router.get("readyz") { _, _ in
            guard await store.ping() else {
                throw BatonError.unavailable("the database does not answer")
            }
            return try APIResponse.json(JSONValue.object(["status": .string("ready")])).response
        }
        router.get("metrics") { _, _ in
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return APIResponse(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"], body: Data(buffer)).response
        }
        router.get("openapi.yaml") { _, _ in
            APIResponse(status: .ok, headers: ["Content-Type": "application/yaml; charset=utf-8"], body: OpenAPIDocument.data).response
        }
        router.get("board") { _, _ in
            APIResponse(status: .ok, headers: ["Content-Type": "text/html; charset=utf-8"], body: Data(BoardController.page.utf8)).response
        }
    }
}

/// The OpenAPI document shipped with this build (`Sources/BatonHTTP/openapi.yaml`).
enum OpenAPIDocument {
    static let data: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"), let data = try? Data(contentsOf: url) else {
            return Data("openapi: 3.1.0\ninfo: {title: Baton, version: '1'}\npaths: {}\n".utf8)
        }
        return data
    }()
}

/// `/v1/me`: who the token belongs to.
struct MeController {
    func addRoutes(to routes: Routes) {
        routes.get("me") { _, context in
            let me = try context.caller()
            return try .json(UserRecord(login: me.login, agency: me.agency, agencyName: me.agencyName, roles: me.roles.map(\.rawValue).sorted()))
        }
    }
}

import BatonCore
import BatonStore
import Foundation
import Hummingbird
import Prometheus

/// Health, readiness, metrics and the OpenAPI document: the system routes outside `/v1`.
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
    }
}

import Foundation

/// The OpenAPI document shipped with this build (`Sources/BatonHTTP/openapi.yaml`).
enum OpenAPIDocument {
    static let data: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"), let data = try? Data(contentsOf: url) else {
            return Data("openapi: 3.1.0\ninfo: {title: Baton, version: '1'}\npaths: {}\n".utf8)
        }
        return data
    }()
}

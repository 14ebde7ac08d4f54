import HTTPTypes
import Hummingbird

/// Headers on every answer: nothing may frame Baton, sniff a type, or learn where a link came from;
/// an API answer is data, never a document to run.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        let h = response.headers
        if h[HTTPField.Name("Content-Security-Policy")!] == nil {
            response.headers[HTTPField.Name("Content-Security-Policy")!] = "default-src 'none'; frame-ancestors 'none'"
        }
        if h[HTTPField.Name("X-Content-Type-Options")!] == nil { response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff" }
        if h[HTTPField.Name("Referrer-Policy")!] == nil { response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer" }
        return response
    }
}

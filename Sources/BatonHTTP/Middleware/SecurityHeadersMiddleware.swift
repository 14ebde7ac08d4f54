import BatonWeb
import HTTPTypes
import Hummingbird

/// Headers on every answer: nothing may frame Baton, sniff a type, or learn where a link came from;
/// an API answer is data, never a document to run.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        let h = response.headers
        if h[.contentSecurityPolicy] == nil { response.headers[.contentSecurityPolicy] = "default-src 'none'; frame-ancestors 'none'" }
        if h[.xContentTypeOptions] == nil { response.headers[.xContentTypeOptions] = "nosniff" }
        if h[.referrerPolicy] == nil { response.headers[.referrerPolicy] = "no-referrer" }
        return response
    }
}

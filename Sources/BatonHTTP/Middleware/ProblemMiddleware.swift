import BatonCore
import Hummingbird
import Logging

/// Turns every error — ours, the router's 404, the framework's 413, the database's — into a
/// problem+json response, and logs unexpected ones with their full detail.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = BatonError.from(error)
            if problem.status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            }
            return try problem.response(from: request, context: context)
        }
    }
}

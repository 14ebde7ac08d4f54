import BatonCore
import Foundation
import HTTPTypes
import Hummingbird
import Postgres

/// An RFC 9457 problem document: every error the service returns is one of these.
public struct Problem: Error, HTTPResponseError, Sendable {
    public let code: BatonError.Code
    public let detail: String
    public let field: String?
    /// A status other than the code's own (503 for a database that does not answer).
    var statusOverride: HTTPResponse.Status?

    public init(_ code: BatonError.Code, _ detail: String, field: String? = nil) {
        self.code = code
        self.detail = detail
        self.field = field
    }

    init(_ error: BatonError) {
        self.init(error.code, error.detail, field: error.field)
    }

    public var status: HTTPResponse.Status {
        if let statusOverride { return statusOverride }
        return switch code {
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .invalidTransition, .conflict: .conflict
        case .versionConflict: .preconditionFailed
        case .validationFailed: .unprocessableContent
        case .malformed: .badRequest
        case .payloadTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .rateLimited: .tooManyRequests
        default: .internalServerError
        }
    }

    var title: String {
        switch code {
        case .unauthenticated: "Authentication required"
        case .forbidden: "Not allowed"
        case .notFound: "Not found"
        case .invalidTransition: "Transition not allowed"
        case .versionConflict: "Version conflict"
        case .validationFailed: "Validation failed"
        case .malformed: "Malformed request"
        case .payloadTooLarge: "Payload too large"
        case .unsupportedMediaType: "Unsupported media type"
        case .rateLimited: "Too many requests"
        case .conflict: "Conflict"
        default: "Internal error"
        }
    }

    /// The problem as JSON bytes.
    func body(instance: String?) -> Data {
        var o: [String: JSONValue] = [
            "type": .string("urn:baton:problem:\(code)"), "title": .string(title), "status": .number(Double(status.code)),
            "detail": .string(detail), "code": .string(code.description),
        ]
        if let field { o["field"] = .string(field) }
        if let instance { o["instance"] = .string(instance) }
        return Data(JSONValue.object(o).jsonText.utf8)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if code == .unauthenticated { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body(instance: request.uri.path))))
    }

    /// Any error as a problem: ours, the framework's (404 route, 413), the database's, or an unexpected one.
    static func from(_ error: any Error) -> Problem {
        switch error {
        case let p as Problem: return p
        case let e as BatonError: return Problem(e)
        case let e as PostgresError:
            switch e.code {
            case .uniqueViolation: return Problem(.conflict, "this already exists")
            case .connectionFailed, .connectionBroken:
                var p = Problem(.internalError, "the database is not reachable")
                p.statusOverride = .serviceUnavailable
                return p
            case .queryCanceled: return Problem(.internalError, "the database took too long to answer")
            default: return Problem(.internalError, "the request could not be completed")
            }
        case let e as any HTTPResponseError:
            switch e.status {
            case .notFound: return Problem(.notFound, "no such resource")
            case .methodNotAllowed: return Problem(.notFound, "no such resource for this method")
            case .contentTooLarge: return Problem(.payloadTooLarge, "the body is larger than \(RequestBodyReader.limit) bytes")
            case .badRequest: return Problem(.malformed, "the request could not be read")
            case .unsupportedMediaType: return Problem(.unsupportedMediaType, "unsupported media type")
            case .unauthorized: return Problem(.unauthenticated, "a bearer token is required")
            default: return Problem(e.status.code >= 500 ? .internalError : .malformed, e.status.reasonPhrase)
            }
        default:
            return Problem(.internalError, "the request could not be completed")
        }
    }
}

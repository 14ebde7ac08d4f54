import BatonCore
import Foundation
import HTTPTypes
import BatonWeb
import Hummingbird

/// Every error the service returns is a `BatonError`, written as an RFC 9457 problem document.
extension BatonError: HTTPResponseError {
    public var status: HTTPResponse.Status { httpStatus }

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

    /// The problem document as JSON bytes; `cause` is never in it.
    func problemBody(instance: String?) -> Data {
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
        // What a retry can cure says when to retry.
        if status == .serviceUnavailable { headers[.retryAfter] = "2" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: problemBody(instance: request.uri.path))))
    }

    /// Any error as ours: the framework's (404 route, 413) by its status, an unexpected one as 500.
    static func from(_ error: any Error) -> BatonError {
        switch error {
        case let e as BatonError: return e
        case let e as any HTTPResponseError:
            switch e.status {
            case .notFound: return BatonError(.notFound, "no such resource")
            case .methodNotAllowed: return BatonError(.notFound, "no such resource for this method")
            case .contentTooLarge: return BatonError(.payloadTooLarge, "the body is larger than \(RequestBodyReader.limit) bytes")
            case .badRequest: return BatonError(.malformed, "the request could not be read")
            case .unsupportedMediaType: return BatonError(.unsupportedMediaType, "unsupported media type")
            case .unauthorized: return BatonError(.unauthenticated, "a bearer token is required")
            default: return BatonError(e.status.code >= 500 ? .internalError : .malformed, e.status.reasonPhrase)
            }
        default:
            return BatonError(.internalError, "the request could not be completed")
        }
    }
}

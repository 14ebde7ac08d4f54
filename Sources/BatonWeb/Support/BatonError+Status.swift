import BatonCore
import HTTPTypes

extension BatonError {
    /// The HTTP status of an error: one mapping for the API's problem documents and for the pages.
    public var httpStatus: HTTPResponse.Status {
        if isUnavailable { return .serviceUnavailable }
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
}

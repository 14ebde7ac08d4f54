/// A failure a user can act on, with the public problem code of API.md.
///
/// `detail` is written for the person who sent the request: it names what was wrong and never
/// contains SQL or secrets.
public struct BatonError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The `code` member of a problem document; cases can grow without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let raw: String
        private init(_ raw: String) { self.raw = raw }
        public static let unauthenticated = Code("unauthenticated")
        public static let forbidden = Code("forbidden")
        public static let notFound = Code("not_found")
        public static let invalidTransition = Code("invalid_transition")
        public static let versionConflict = Code("version_conflict")
        public static let validationFailed = Code("validation_failed")
        public static let malformed = Code("malformed")
        public static let payloadTooLarge = Code("payload_too_large")
        public static let unsupportedMediaType = Code("unsupported_media_type")
        public static let rateLimited = Code("rate_limited")
        public static let conflict = Code("conflict")
        public static let internalError = Code("internal")
        /// The wire name, e.g. `not_found`.
        public var description: String { raw }
    }

    public let code: Code
    public let detail: String
    /// For validation failures: which field, as a path like `tasks[2].due.before`.
    public let field: String?
    /// What failed underneath (the database's own message): for the log and the admin's
    /// terminal, never for an HTTP client.
    public let cause: String?
    /// True when the service cannot answer at the moment (its database is unreachable): HTTP 503.
    public let isUnavailable: Bool

    public init(_ code: Code, _ detail: String, field: String? = nil) {
        self.init(code, detail, field: field, cause: nil, isUnavailable: false)
    }

    private init(_ code: Code, _ detail: String, field: String?, cause: String?, isUnavailable: Bool) {
        self.code = code
        self.detail = detail
        self.field = field
        self.cause = cause
        self.isUnavailable = isUnavailable
    }

    public var description: String { field.map { "\($0): \(detail)" } ?? detail }

    /// The description with the underlying cause, for logs and the CLI.
    public var debugDescription: String { cause.map { "\(description): \($0)" } ?? description }

    /// A failure underneath the domain (the database's), told as `detail` and logged with `cause`.
    public static func failure(_ code: Code, _ detail: String, cause: String?) -> BatonError {
        BatonError(code, detail, field: nil, cause: cause, isUnavailable: false)
    }

    /// 503: the database does not answer.
    public static func unavailable(_ detail: String, cause: String? = nil) -> BatonError {
        BatonError(.internalError, detail, field: nil, cause: cause, isUnavailable: true)
    }

    /// 422: well-formed but invalid.
    public static func invalid(_ field: String?, _ detail: String) -> BatonError {
        BatonError(.validationFailed, detail, field: field)
    }

    /// 404, also for what exists but the caller may not see.
    public static func notFound(_ what: String) -> BatonError {
        BatonError(.notFound, "\(what) was not found")
    }
}

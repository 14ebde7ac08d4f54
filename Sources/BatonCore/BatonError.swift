/// A failure a user can act on, with the public problem code of API.md.
///
/// `detail` is written for the person who sent the request: it names what was wrong and never
/// contains SQL or secrets.
public struct BatonError: Error, Sendable, Equatable, CustomStringConvertible {
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

    public init(_ code: Code, _ detail: String, field: String? = nil) {
        self.code = code
        self.detail = detail
        self.field = field
    }

    public var description: String { field.map { "\($0): \(detail)" } ?? detail }

    /// 422: well-formed but invalid.
    public static func invalid(_ field: String?, _ detail: String) -> BatonError {
        BatonError(.validationFailed, detail, field: field)
    }

    /// 404, also for what exists but the caller may not see.
    public static func notFound(_ what: String) -> BatonError {
        BatonError(.notFound, "\(what) was not found")
    }
}

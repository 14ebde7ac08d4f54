import HTTPTypes

/// Header names the pages and the API use that HTTPTypes does not name (it has
/// `contentSecurityPolicy` and `xContentTypeOptions`), made once rather than on every answer.
extension HTTPField.Name {
    public static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    public static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    public static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    public static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}

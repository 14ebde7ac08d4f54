import BatonCore
import Foundation
import Hummingbird

/// Reads request bodies with a bound and checks their media type.
enum RequestBodyReader {
    /// Bodies over 1 MiB are refused with 413.
    static let limit = 1 << 20
    /// A too-large body is still read (and thrown away) up to this bound so the client gets the 413.
    static let drainLimit = 64 << 20

    /// The body bytes, or 413 after draining what the client sends.
    static func read(_ request: Request) async throws -> Data {
        var data = Data()
        var total = 0
        var tooLarge = false
        for try await chunk in request.body {
            total += chunk.readableBytes
            if total > limit { tooLarge = true }
            if !tooLarge { data.append(contentsOf: chunk.readableBytesView) }
            if total > drainLimit { break }
        }
        if tooLarge { throw BatonError(.payloadTooLarge, "the body is larger than \(limit) bytes (1 MiB)") }
        return data
    }

    /// The media type of the request, lower-cased, without parameters.
    static func mediaType(_ request: Request) -> String? {
        request.headers[.contentType].map {
            let type = $0.split(separator: ";", maxSplits: 1).first ?? ""
            return String(type.filter { $0 != " " && $0 != "\t" }).lowercased()
        }
    }

    /// A JSON body as a value: 415 unless JSON, 400 when it does not parse.
    static func json(_ request: Request, data: Data) throws -> JSONValue {
        guard isJSON(request) else { throw BatonError(.unsupportedMediaType, "send the body as application/json") }
        guard !data.isEmpty else { throw BatonError(.malformed, "the body is empty; send a JSON object") }
        return try JSONValue.parse(json: data)
    }

    /// The media types a document (a plan) may also come in, read as YAML 1.2.
    static let yamlTypes: Set<String> = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"]

    /// A document body, JSON or YAML, as a value: 415 for any other type.
    static func document(_ request: Request, data: Data) throws -> JSONValue {
        if let type = mediaType(request), yamlTypes.contains(type) {
            guard let text = String(data: data, encoding: .utf8) else { throw BatonError(.malformed, "the body is not valid UTF-8") }
            return try JSONValue.parse(yaml: text)
        }
        guard isJSON(request) else { throw BatonError(.unsupportedMediaType, "send a plan document as application/json or application/yaml") }
        return try json(request, data: data)
    }

    private static func isJSON(_ request: Request) -> Bool {
        guard let type = mediaType(request) else { return false }
        return type == "application/json" || type.hasSuffix("+json")
    }
}

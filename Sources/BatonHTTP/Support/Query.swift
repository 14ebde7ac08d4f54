import BatonCore
import BatonStore
import Foundation
import Hummingbird

/// Reading filters from the query string.
enum Query {
    static func uuid(_ request: Request, _ name: String) throws -> UUID? {
        guard let raw = request.query(name) else { return nil }
        return try Text.id(raw, field: name)
    }

    static func date(_ request: Request, _ name: String) throws -> LocalDate? {
        guard let raw = request.query(name) else { return nil }
        return try Text.date(raw, field: name)
    }

    static func bool(_ request: Request, _ name: String) throws -> Bool? {
        guard let raw = request.query(name) else { return nil }
        switch raw.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw BatonError(.validationFailed, "must be true or false", field: name)
        }
    }

    static func page(_ request: Request) throws -> Page {
        try Page(limit: request.query("limit"), cursor: request.query("cursor"))
    }

    /// One of `values`, or nil when absent; anything else is 422 naming the parameter.
    static func choice(_ request: Request, _ name: String, of values: [String]) throws -> String? {
        guard let raw = request.query(name) else { return nil }
        guard values.contains(raw) else { throw BatonError.invalid(name, "must be \(values.joined(separator: " or "))") }
        return raw
    }

    static func code(_ request: Request, _ name: String) throws -> String? {
        try request.query(name).map { try Text.code($0, field: name) }
    }
}

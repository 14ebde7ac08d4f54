import BatonCore
import Foundation

/// Keyset pagination: an opaque cursor holding the last key of the previous page.
public struct Page: Sendable, Hashable {
    public let limit: Int
    public let after: String?

    public static let defaultLimit = 50
    public static let maxLimit = 500

    public init(limit: Int = Page.defaultLimit, after: String? = nil) {
        self.limit = limit
        self.after = after
    }

    /// Reads `?limit=` and `?cursor=`; a bad value is a validation error.
    public init(limit: String?, cursor: String?) throws {
        var n = Page.defaultLimit
        if let limit {
            guard let v = Int(limit), (1...Page.maxLimit).contains(v) else {
                throw BatonError.invalid("limit", "must be a whole number from 1 to \(Page.maxLimit)")
            }
            n = v
        }
        var after: String?
        if let cursor, !cursor.isEmpty {
            guard let key = Page.decode(cursor) else { throw BatonError.invalid("cursor", "is not a cursor this server issued") }
            after = key
        }
        self.init(limit: n, after: after)
    }

    /// The key the page starts after, read by `parse` (nil on the first page); a key `parse`
    /// refuses is a cursor this server never issued.
    func after<Key>(_ parse: (String) -> Key?) throws -> Key? {
        try after.map { a in
            guard let key = parse(a) else { throw BatonError.invalid("cursor", "is not a cursor this server issued") }
            return key
        }
    }

    /// The cursor for the page after the one ending at `key`.
    public static func cursor(after key: String) -> String {
        Data(("v1:" + key).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ cursor: String) -> String? {
        var b = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b.count % 4 != 0 { b += "=" }
        guard cursor.count <= 400, let data = Data(base64Encoded: b), let s = String(data: data, encoding: .utf8), s.hasPrefix("v1:") else { return nil }
        return String(s.dropFirst(3))
    }
}

/// A page of results: `{"items": […], "next_cursor": "…" | null}`.
public struct Paged<Item: JSONWritable & Sendable>: JSONWritable, Sendable {
    public let items: [Item]
    public let nextCursor: String?

    public func write(to w: inout JSONWriter) {
        w.openObject()
        w.field("items", items)
        w.field("next_cursor", nextCursor)
        w.closeObject()
    }

    /// Builds a page from `limit + 1` fetched rows: the extra row only says there is more.
    init(fetched: [Item], limit: Int, key: (Item) -> String) {
        if fetched.count > limit {
            items = Array(fetched.prefix(limit))
            nextCursor = Page.cursor(after: key(items[items.count - 1]))
        } else {
            items = fetched
            nextCursor = nil
        }
    }
}

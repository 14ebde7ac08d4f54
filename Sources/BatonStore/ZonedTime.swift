import BatonCore
import Foundation

/// An instant rendered in a plan's time zone (RFC 3339 with offset), as the API shows times.
public struct ZonedTime: Sendable, Hashable, Encodable {
    public let date: Date
    public let zone: TimeZone

    public init(_ date: Date, _ zone: TimeZone) {
        self.date = date
        self.zone = zone
    }

    public var text: String { RFC3339.format(date, in: zone) }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}

extension TimeZone {
    /// A zone by IANA name, falling back to Vietnam's.
    static func named(_ name: String) -> TimeZone {
        TimeZone(identifier: name) ?? TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600)!
    }
}

extension UUID {
    /// The canonical lower-case form the API uses for ids.
    public var lower: String { uuidString.lowercased() }
}

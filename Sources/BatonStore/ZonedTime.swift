import BatonCore
import Foundation
import Postgres

/// An instant rendered in a plan's time zone (RFC 3339 with offset), as the API shows times.
public struct ZonedTime: Sendable, Hashable, JSONWritable {
    public let date: Date
    public let zone: TimeZone

    public init(_ date: Date, _ zone: TimeZone) {
        self.date = date
        self.zone = zone
    }

    public var text: String { RFC3339.format(date, in: zone) }

    public func write(to w: inout JSONWriter) { w.time(date, in: zone) }
}

extension TimeZone {
    /// A zone by IANA name, falling back to Vietnam's.
    public static func named(_ name: String) -> TimeZone {
        TimeZone(identifier: name) ?? TimeZone(identifier: PlanDocument.defaultTimeZone) ?? TimeZone(secondsFromGMT: 7 * 3600)!
    }
}

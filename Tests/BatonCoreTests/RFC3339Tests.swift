import Foundation
import Testing
@testable import BatonCore

@Suite("RFC3339")
struct RFC3339Tests {
    @Test("parses offsets, Z and fractions to the right instant", arguments: [
        ("2024-11-15T00:00:00+07:00", 1_731_603_600.0),
        ("2024-11-14T17:00:00Z", 1_731_603_600.0),
        ("2024-11-14T17:00:00z", 1_731_603_600.0),
        ("2024-11-14t17:00:00Z", 1_731_603_600.0),
        ("2024-11-14 17:00:00Z", 1_731_603_600.0),
        ("2024-11-14T17:00:00+00:00", 1_731_603_600.0),
        ("2024-11-14T17:00:00-00:00", 1_731_603_600.0),
        ("2024-11-14T12:00:00-05:00", 1_731_603_600.0),
        ("2024-11-14T22:45:00+05:45", 1_731_603_600.0),
        ("2024-11-15T00:00:00.5+07:00", 1_731_603_600.5),
        ("2024-11-15T00:00:00.250Z", 1_731_628_800.25),
        ("2024-11-15T00:00:00.123456789Z", 1_731_628_800.123456789),
        ("1970-01-01T00:00:00Z", 0),
        ("1970-01-01T07:00:00+07:00", 0),
        ("2016-12-31T23:59:60Z", 1_483_228_799),   // a leap second reads as :59
    ])
    func parses(text: String, epoch: Double) throws {
        let d = try #require(RFC3339.parse(text), "\(text) should parse")
        #expect(abs(d.timeIntervalSince1970 - epoch) < 1e-6)
    }

    @Test("microsecond fractions come back as written", arguments: [
        "2024-11-15T07:00:00.000001+07:00", "2024-11-15T07:00:00.123456+07:00", "2024-11-15T07:00:00.999999+07:00",
    ])
    func microseconds(text: String) throws {
        #expect(RFC3339.format(try #require(RFC3339.parse(text)), in: Fixture.hcm) == text)
    }

    @Test("refuses what is not an RFC 3339 timestamp with an offset", arguments: [
        "2024-11-15", "2024-11-15T00:00:00", "2024-11-15T00:00+07:00", "2024-11-15T24:00:00Z", "2024-11-15T23:60:00Z",
        "2024-11-15T23:59:61Z", "2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2024-11-15T00:00:00+0700",
        "2024-11-15T00:00:00+7:00", "2024-11-15T00:00:00+24:00", "2024-11-15T00:00:00+07:60", "2024-11-15T00:00:00.Z",
        "2024-11-15T00:00:00.1234567890Z", "15/11/2024 00:00:00+07:00", " 2024-11-15T00:00:00Z", "2024-11-15T00:00:00Z ",
        "2024-11-15T00:00:00UTC", "", "now", "1899-12-31T23:59:59Z",
        // Other scripts' digits match a Unicode `\d`; they must be refused, not crash the parser.
        "２０２４-11-15T00:00:00Z", "2024-11-15T0٠:00:00Z", "2024-11-15T00:00:00+0७:00",
    ])
    func refuses(text: String) {
        #expect(RFC3339.parse(text) == nil, "\(text.debugDescription) should not parse")
    }

    @Test("formats in +07:00 and in UTC", arguments: [
        (1_731_603_600.0, "Asia/Ho_Chi_Minh", "2024-11-15T00:00:00+07:00"),
        (1_731_603_600.0, "UTC", "2024-11-14T17:00:00Z"),
        (1_731_603_599.0, "Asia/Ho_Chi_Minh", "2024-11-14T23:59:59+07:00"),
        (1_731_603_600.5, "Asia/Ho_Chi_Minh", "2024-11-15T00:00:00.5+07:00"),
        (1_731_603_600.125, "UTC", "2024-11-14T17:00:00.125Z"),
        (0, "Asia/Ho_Chi_Minh", "1970-01-01T08:00:00+08:00"),   // the zone's offset at that instant
        (0, "Etc/UTC", "1970-01-01T00:00:00Z"),
        (-1, "UTC", "1969-12-31T23:59:59Z"),
        (1_731_603_600.0, "America/New_York", "2024-11-14T12:00:00-05:00"),
        (1_731_603_600.0, "Asia/Kathmandu", "2024-11-14T22:45:00+05:45"),
    ])
    func formats(epoch: Double, zone: String, expected: String) throws {
        let tz = try #require(TimeZone(identifier: zone))
        #expect(RFC3339.format(Date(timeIntervalSince1970: epoch), in: tz) == expected)
    }

    @Test("a fixed +07:00 zone renders the same as Asia/Ho_Chi_Minh")
    func fixedOffset() {
        let t = instant("2025-01-25T00:00:00+07:00")
        #expect(RFC3339.format(t, in: Fixture.plus7) == "2025-01-25T00:00:00+07:00")
    }

    @Test("format then parse is the identity, whole seconds, every 7 hours 13 minutes over 2024–2027")
    func roundTrip() {
        var t = instant("2024-01-01T00:00:00+07:00").timeIntervalSince1970
        let end = instant("2028-01-01T00:00:00+07:00").timeIntervalSince1970
        while t < end {
            let d = Date(timeIntervalSince1970: t)
            for zone in [Fixture.hcm, Fixture.utc] {
                let text = RFC3339.format(d, in: zone)
                if RFC3339.parse(text) != d {
                    Issue.record("\(text) does not read back as \(d)")
                    return
                }
            }
            t += 7 * 3600 + 13 * 60 + 1
        }
    }

    @Test("the rendered text agrees with Foundation's ISO 8601 formatter")
    func agreesWithFoundation() {
        let f = ISO8601DateFormatter()
        f.timeZone = Fixture.hcm
        f.formatOptions = [.withInternetDateTime]
        for epoch in stride(from: 1_700_000_000.0, to: 1_800_000_000.0, by: 9_876_543) {
            let d = Date(timeIntervalSince1970: epoch)
            #expect(RFC3339.format(d, in: Fixture.hcm) == f.string(from: d))
        }
    }
}

@Suite("RFC3339 for PostgreSQL")
struct PostgresTimestampTests {
    @Test("reads timestamptz as PostgreSQL prints it", arguments: [
        ("2024-11-15 00:00:00+07", 1_731_603_600.0),
        ("2024-11-15 00:00:00.5+07", 1_731_603_600.5),
        ("2024-11-14 17:00:00.123456+00", 1_731_603_600.123456),
        ("2024-11-14 17:00:00", 1_731_603_600.0),                 // no offset: UTC
        ("1900-01-01 07:06:40+07:06:40", -2_208_988_800.0),       // a local mean time offset, with seconds
        ("0099-01-01 00:00:00+00", -59_042_995_200.0),            // outside the API's years
        ("2024-11-15T00:00:00+07:00", 1_731_603_600.0),
    ])
    func reads(text: String, epoch: Double) throws {
        let d = try #require(RFC3339.parse(postgres: text), "\(text) should parse")
        #expect(abs(d.timeIntervalSince1970 - epoch) < 1e-6)
    }

    @Test("refuses what PostgreSQL never prints", arguments: [
        "2024-11-15", "2024-02-30 00:00:00+00", "2024-11-15 00:00:00+7", "2024-11-15 00:00:00+07:0", "infinity", "",
        "2024-11-15 00:00:00+07 ", "2024-11-15 25:00:00+07",
    ])
    func refuses(text: String) {
        #expect(RFC3339.parse(postgres: text) == nil, "\(text.debugDescription) should not parse")
    }

    @Test("binds as UTC with six fraction digits, exact to the microsecond", arguments: [
        (1_731_603_600.0, "2024-11-14T17:00:00.000000Z"),
        (1_731_603_600.123456, "2024-11-14T17:00:00.123456Z"),
        (1_731_603_600.9999996, "2024-11-14T17:00:01.000000Z"),
        (-0.5, "1969-12-31T23:59:59.500000Z"),
    ])
    func binds(epoch: Double, text: String) throws {
        let date = Date(timeIntervalSince1970: epoch)
        #expect(RFC3339.formatMicroseconds(date) == text)
        let back = try #require(RFC3339.parse(postgres: text))
        #expect(abs(back.timeIntervalSince1970 - epoch) < 1e-6)
    }
}

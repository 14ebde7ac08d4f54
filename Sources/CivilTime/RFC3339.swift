import Foundation

/// RFC 3339 timestamps, as the API writes and reads them, and as PostgreSQL prints `timestamptz`.
public enum RFC3339 {
    /// Parses `2024-11-15T00:00:00+07:00` (fraction optional; `Z` or an offset required; years 1900 to 2999).
    public static func parse(_ text: String) -> Date? {
        parse(text, postgres: false)
    }

    /// Parses `timestamptz` as PostgreSQL prints it with `DateStyle=ISO`: as `parse(_:)`, for any
    /// year, with offsets of hours alone or with seconds (`+07`, `+06:42:04`), UTC when there is none.
    public static func parse(postgres text: String) -> Date? {
        parse(text, postgres: true)
    }

    private static func parse(_ text: String, postgres: Bool) -> Date? {
        var r = Digits.Reader(text)
        guard let (y, mo, d) = r.date() else { return nil }
        let day: Int
        if postgres {
            guard (1...12).contains(mo), (1...LocalDate.daysIn(month: mo, year: y)).contains(d) else { return nil }
            day = LocalDate.dayNumber(year: y, month: mo, day: d)
        } else {
            guard let date = LocalDate(year: y, month: mo, day: d) else { return nil }
            day = date.dayNumber
        }
        guard let sep = r.next, sep == UInt8(ascii: "T") || sep == UInt8(ascii: "t") || sep == UInt8(ascii: " ") else { return nil }
        r.advance()
        guard let h = r.number(2), r.skip(":"), let mi = r.number(2), r.skip(":"), let s = r.number(2), h < 24, mi < 60, s < 61 else { return nil }
        var fraction = 0.0
        if r.skip(".") {
            // Whole digits first, one division at the end: exact to the microsecond PostgreSQL keeps.
            guard let f = r.fraction(limit: 9) else { return nil }
            fraction = Double(f.value) / Double(f.scale)
        }
        var offset = 0
        if r.skip("Z") || r.skip("z") {
            // UTC
        } else if let c = r.next, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
            let sign = c == UInt8(ascii: "-") ? -1 : 1
            r.advance()
            guard let oh = r.number(2), oh < 24 else { return nil }
            var om = 0, os = 0
            if postgres {
                if r.skip(":") { guard let v = r.number(2) else { return nil }; om = v }
                if r.skip(":") { guard let v = r.number(2) else { return nil }; os = v }
            } else {
                guard r.skip(":"), let v = r.number(2) else { return nil }
                om = v
            }
            guard om < 60, os < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60 + os)
        } else if !(postgres && r.atEnd) {
            return nil
        }
        guard r.atEnd else { return nil }
        let seconds = Double(day * 86400 + h * 3600 + mi * 60 + min(s, 59) - offset)
        return Date(timeIntervalSince1970: seconds + fraction)
    }

    /// Formats in `zone` with its offset, whole seconds unless there is a fraction.
    public static func format(_ date: Date, in zone: TimeZone) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        append(date, in: zone, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The same, appended to bytes (JSON writing without intermediate strings).
    public static func append(_ date: Date, in zone: TimeZone, to out: inout [UInt8]) {
        let offset = zone.secondsFromGMT(for: date)
        // Linux Foundation names TimeZone(identifier: "UTC") "GMT", so both spellings mean "Z".
        append(date, offset: offset, zulu: offset == 0 && utcNames.contains(zone.identifier), fixedFraction: false, to: &out)
    }

    /// UTC with `Z` and always six fraction digits: how a timestamp is bound for PostgreSQL.
    public static func formatMicroseconds(_ date: Date) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(27)
        append(date, offset: 0, zulu: true, fixedFraction: true, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func append(_ date: Date, offset: Int, zulu: Bool, fixedFraction: Bool, to out: inout [UInt8]) {
        // Rounded to the microsecond once, then split: exact for every instant PostgreSQL keeps.
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) + Int64(offset) * 1_000_000
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 { fraction += 1_000_000; seconds -= 1 }
        var dayNumber = Int(seconds / 86400)
        var secs = Int(seconds % 86400)
        if secs < 0 { secs += 86400; dayNumber -= 1 }
        let (y, m, d) = LocalDate.civil(dayNumber: dayNumber)
        Digits.append(y, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        Digits.append(m, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        Digits.append(d, width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        Digits.append(secs / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        Digits.append(secs % 3600 / 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        Digits.append(secs % 60, width: 2, to: &out)
        if fixedFraction {
            out.append(UInt8(ascii: "."))
            Digits.append(Int(fraction), width: 6, to: &out)
        } else if fraction > 0 {
            var f = Int(fraction), width = 6
            while f % 10 == 0 { f /= 10; width -= 1 }
            out.append(UInt8(ascii: "."))
            Digits.append(f, width: width, to: &out)
        }
        if zulu {
            out.append(UInt8(ascii: "Z"))
            return
        }
        out.append(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let a = abs(offset)
        Digits.append(a / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        Digits.append(a % 3600 / 60, width: 2, to: &out)
    }

    static let utcNames: Set<String> = ["UTC", "GMT", "Etc/UTC", "Etc/GMT", "UCT", "Etc/UCT", "Zulu", "Etc/Zulu"]
}

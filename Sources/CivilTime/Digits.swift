/// Decimal digits both ways without Foundation's formatters (slow on Linux): zero-padded writing
/// and a reader for fixed-width fields.
public enum Digits {
    /// Appends `value` with at least `width` digits.
    public static func append(_ value: Int, width: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var v = value.magnitude
        var count = 1
        var probe = v
        while probe >= 10 { probe /= 10; count += 1 }
        let start = out.count
        let digits = max(count, width)
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        var i = start + digits - 1
        repeat { out[i] = UInt8(ascii: "0") + UInt8(v % 10); v /= 10; i -= 1 } while v > 0
    }

    /// Appends `value` with at least `width` digits to a string.
    public static func append(_ value: Int, width: Int, to out: inout String) {
        var bytes: [UInt8] = []
        append(value, width: width, to: &bytes)
        out.append(String(decoding: bytes, as: UTF8.self))
    }

    /// Reads a text left to right: fixed-width numbers and single separators.
    public struct Reader {
        let bytes: [UInt8]
        /// The index of the next byte.
        public private(set) var position = 0

        public init(_ text: String) { bytes = Array(text.utf8) }

        /// True when every byte has been read.
        public var atEnd: Bool { position == bytes.count }

        /// The next byte, if any, without reading it.
        public var next: UInt8? { position < bytes.count ? bytes[position] : nil }

        /// Exactly `count` decimal digits as a number, or nil (and nothing read).
        public mutating func number(_ count: Int) -> Int? {
            guard position + count <= bytes.count else { return nil }
            var v = 0
            for k in 0..<count {
                let c = bytes[position + k]
                guard c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") else { return nil }
                v = v * 10 + Int(c - UInt8(ascii: "0"))
            }
            position += count
            return v
        }

        /// Up to `limit` digits (at least one) as a number and the power of ten they span:
        /// `.25` read after the dot is (25, 100).
        public mutating func fraction(limit: Int) -> (value: Int, scale: Int)? {
            let start = position
            var value = 0, scale = 1
            while let c = next, c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"), position - start < limit {
                value = value * 10 + Int(c - UInt8(ascii: "0"))
                scale *= 10
                position += 1
            }
            return position > start ? (value, scale) : nil
        }

        /// Reads `separator` if it comes next.
        public mutating func skip(_ separator: Unicode.Scalar) -> Bool {
            guard let c = next, UInt32(c) == separator.value else { return false }
            position += 1
            return true
        }

        /// Reads one byte unconditionally.
        public mutating func advance() { position += 1 }

        /// `YYYY-MM-DD` as numbers (not checked against the calendar).
        public mutating func date() -> (year: Int, month: Int, day: Int)? {
            guard let y = number(4), skip("-"), let m = number(2), skip("-"), let d = number(2) else { return nil }
            return (y, m, d)
        }
    }
}

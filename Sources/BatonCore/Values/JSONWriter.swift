import Foundation

/// Writes JSON text fast: the escaping and number rules of RFC 8259, straight into bytes.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// For each open object or array: whether it already has a member (so the next needs a comma).
    private var hasMember: [Bool] = []

    public init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    public mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func byte(_ b: UInt8) { bytes.append(b) }

    /// An instant as an RFC 3339 string in `zone`.
    public mutating func time(_ date: Date, in zone: TimeZone) {
        bytes.append(UInt8(ascii: "\""))
        RFC3339.append(date, in: zone, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            bytes.append(UInt8(ascii: "\""))
            // Most strings (codes, names, dates) need no escape: copied at once. A board of 50,000 agencies spent a
            // sixth of its Swift time appending their bytes one at a time.
            if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                bytes.append(contentsOf: utf8)
                bytes.append(UInt8(ascii: "\""))
                return
            }
            for b in utf8 {
                switch b {
                case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(b)
                case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(b)
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                case 0..<0x20:
                    raw("\\u00")
                    bytes.append(Self.hex[Int(b >> 4)])
                    bytes.append(Self.hex[Int(b & 0xF)])
                default: bytes.append(b)
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }

    public mutating func int(_ v: Int64) {
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        // The digits backwards, then turned round in place: no buffer of its own.
        let first = bytes.count
        var n = v.magnitude
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(n % 10))
            n /= 10
        } while n > 0
        var (i, j) = (first, bytes.count - 1)
        while i < j {
            bytes.swapAt(i, j)
            i += 1
            j -= 1
        }
    }

    public mutating func double(_ v: Double) {
        guard v.isFinite else { raw("null"); return }
        if v.rounded() == v && abs(v) < 1e15 { int(Int64(v)); return }
        bytes.append(contentsOf: v.description.utf8)
    }

    /// A value, objects with their keys sorted (stable output for storage and hashing).
    public mutating func value(_ v: JSONValue) {
        switch v {
        case .null: raw("null")
        case .bool(let b): b ? raw("true") : raw("false")
        case .number(let n): double(n)
        case .string(let s): string(s)
        case .array(let a):
            byte(UInt8(ascii: "["))
            for (i, e) in a.enumerated() {
                if i > 0 { byte(UInt8(ascii: ",")) }
                value(e)
            }
            byte(UInt8(ascii: "]"))
        case .object(let o):
            byte(UInt8(ascii: "{"))
            for (i, k) in o.keys.sorted().enumerated() {
                if i > 0 { byte(UInt8(ascii: ",")) }
                string(k)
                byte(UInt8(ascii: ":"))
                value(o[k]!)
            }
            byte(UInt8(ascii: "}"))
        }
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    // MARK: Objects and arrays, written member by member.

    public mutating func openObject() { byte(UInt8(ascii: "{")); hasMember.append(false) }
    public mutating func closeObject() { byte(UInt8(ascii: "}")); hasMember.removeLast() }
    public mutating func openArray() { byte(UInt8(ascii: "[")); hasMember.append(false) }
    public mutating func closeArray() { byte(UInt8(ascii: "]")); hasMember.removeLast() }

    /// Before each member of the innermost object or array.
    private mutating func member() {
        if hasMember[hasMember.count - 1] { byte(UInt8(ascii: ",")) } else { hasMember[hasMember.count - 1] = true }
    }

    public mutating func key(_ k: String) {
        member()
        string(k)
        byte(UInt8(ascii: ":"))
    }

    /// A key already written as JSON text with its colon (`"name":`, from `quotedKey`), for members written by the
    /// thousand.
    public mutating func key(quoted k: [UInt8]) {
        member()
        bytes.append(contentsOf: k)
    }

    /// `k` as JSON text with its colon, for `key(quoted:)`.
    public static func quotedKey(_ k: String) -> [UInt8] {
        var w = JSONWriter(capacity: k.utf8.count + 3)
        w.string(k)
        w.byte(UInt8(ascii: ":"))
        return w.bytes
    }

    public mutating func field(_ k: String, _ v: String?) {
        key(k)
        if let v { string(v) } else { raw("null") }
    }

    public mutating func field(_ k: String, _ v: Int) {
        key(k)
        int(Int64(v))
    }

    public mutating func field(_ k: String, _ v: Bool?) {
        key(k)
        switch v {
        case true?: raw("true")
        case false?: raw("false")
        case nil: raw("null")
        }
    }

    public mutating func field(_ k: String, _ v: Double?) {
        key(k)
        if let v { double(v) } else { raw("null") }
    }

    public mutating func field(_ k: String, _ v: (some JSONWritable)?) {
        key(k)
        if let v { v.write(to: &self) } else { raw("null") }
    }

    public mutating func field(_ k: String, _ list: [some JSONWritable]) {
        key(k)
        array(list)
    }

    public mutating func array(_ list: [some JSONWritable]) {
        openArray()
        for e in list {
            member()
            e.write(to: &self)
        }
        closeArray()
    }

    /// The JSON text of one value.
    public static func bytes(_ v: some JSONWritable) -> [UInt8] {
        var w = JSONWriter()
        v.write(to: &w)
        return w.bytes
    }

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}


/// A value that writes itself as JSON: every API representation is one.
public protocol JSONWritable {
    func write(to w: inout JSONWriter)
}

extension JSONValue: JSONWritable {
    public func write(to w: inout JSONWriter) { w.value(self) }
}

extension String: JSONWritable {
    public func write(to w: inout JSONWriter) { w.string(self) }
}

extension LocalDate: JSONWritable {
    public func write(to w: inout JSONWriter) { w.string(description) }
}

/// Writes JSON text fast: the escaping and number rules of RFC 8259, straight into bytes.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    public mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func byte(_ b: UInt8) { bytes.append(b) }

    public mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
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

    public mutating func int(_ v: Int64) {
        if v == 0 { bytes.append(UInt8(ascii: "0")); return }
        var n = v.magnitude
        var digits: [UInt8] = []
        digits.reserveCapacity(20)
        while n > 0 { digits.append(UInt8(ascii: "0") + UInt8(n % 10)); n /= 10 }
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        bytes.append(contentsOf: digits.reversed())
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

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}

/// An `Encoder` that streams JSON as `encode(to:)` runs: keys in the order written, no
/// intermediate tree. Much faster than Foundation's `JSONEncoder` on Linux.
public struct StreamingJSONEncoder: Sendable {
    public init() {}

    /// The JSON text of `value` as bytes.
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let state = EncoderState()
        try state.write(value)
        return state.writer.bytes
    }
}

final class EncoderState {
    var writer = JSONWriter()

    func write<T: Encodable>(_ value: T) throws {
        switch value {
        case let v as JSONValue: writer.value(v)
        case let s as String: writer.string(s)
        case let i as Int: writer.int(Int64(i))
        case let b as Bool: b ? writer.raw("true") : writer.raw("false")
        case let d as Double: writer.double(d)
        default:
            let node = NodeEncoder(state: self)
            try value.encode(to: node)
            node.close()
        }
    }
}

/// Encodes one value: the first container it asks for opens `{` or `[`; `close()` ends it.
final class NodeEncoder: Encoder {
    enum Kind { case none, object, array, single }
    let state: EncoderState
    var kind = Kind.none
    var count = 0
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    init(state: EncoderState) { self.state = state }

    func open(_ k: Kind) {
        guard kind == .none else { return }
        kind = k
        switch k {
        case .object: state.writer.byte(UInt8(ascii: "{"))
        case .array: state.writer.byte(UInt8(ascii: "["))
        default: break
        }
    }

    func close() {
        switch kind {
        case .object: state.writer.byte(UInt8(ascii: "}"))
        case .array: state.writer.byte(UInt8(ascii: "]"))
        case .none: state.writer.raw("{}")
        case .single: break
        }
    }

    func separator() {
        if count > 0 { state.writer.byte(UInt8(ascii: ",")) }
        count += 1
    }

    func key(_ k: String) {
        separator()
        state.writer.string(k)
        state.writer.byte(UInt8(ascii: ":"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        open(.object)
        return KeyedEncodingContainer(Keyed<Key>(node: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        open(.array)
        return Unkeyed(node: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        open(.single)
        return Single(node: self)
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: NodeEncoder
        var codingPath: [any CodingKey] { [] }
        mutating func encodeNil(forKey key: Key) throws { node.key(key.stringValue); node.state.writer.raw("null") }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            node.key(key.stringValue)
            try node.state.write(value)
        }
        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
            guard let value else { return }
            try encode(value, forKey: key)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            fatalError("nested containers are not used by Baton's types")
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            fatalError("nested containers are not used by Baton's types")
        }
        mutating func superEncoder() -> any Encoder { fatalError("superEncoder is not used by Baton's types") }
        mutating func superEncoder(forKey key: Key) -> any Encoder { fatalError("superEncoder is not used by Baton's types") }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let node: NodeEncoder
        var codingPath: [any CodingKey] { [] }
        var count: Int { node.count }
        mutating func encodeNil() throws { node.separator(); node.state.writer.raw("null") }
        mutating func encode<T: Encodable>(_ value: T) throws {
            node.separator()
            try node.state.write(value)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            fatalError("nested containers are not used by Baton's types")
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { fatalError("nested containers are not used by Baton's types") }
        mutating func superEncoder() -> any Encoder { fatalError("superEncoder is not used by Baton's types") }
    }

    struct Single: SingleValueEncodingContainer {
        let node: NodeEncoder
        var codingPath: [any CodingKey] { [] }
        mutating func encodeNil() throws { node.state.writer.raw("null") }
        mutating func encode<T: Encodable>(_ value: T) throws { try node.state.write(value) }
    }
}

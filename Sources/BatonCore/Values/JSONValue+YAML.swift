import Yams

extension JSONValue {
    /// Parses YAML 1.2 (core schema): `on`, `yes`, `no` are strings, never booleans.
    /// A syntax error is `malformed`, with the line.
    public static func parse(yaml text: String) throws -> JSONValue {
        try checkNesting(text)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw BatonError(.malformed, "the YAML is not valid: \(error.shortDescription)")
        } catch {
            throw BatonError(.malformed, "the YAML is not valid")
        }
        guard let node else { return .null }
        return try JSONValue(yaml: node)
    }

    /// Refuses documents nested deeper than JSON allows (`JSONParser.maxDepth`) before the YAML
    /// parser, which recurses, sees them: flow brackets and indentation both count.
    static func checkNesting(_ text: String) throws {
        var depth = 0
        var quote: UInt8?
        var atLineStart = true
        var indent = 0
        for b in text.utf8 {
            if atLineStart {
                if b == 0x20 { indent += 1; continue }
                atLineStart = false
                if indent > 2 * JSONParser.maxDepth { throw BatonError(.malformed, "the YAML is nested too deeply") }
            }
            if b == 0x0A { atLineStart = true; indent = 0 }
            if let q = quote {
                if b == q { quote = nil }
                continue
            }
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = b
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > JSONParser.maxDepth { throw BatonError(.malformed, "the YAML is nested too deeply") }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
            default: break
            }
        }
    }

    /// Converts a composed YAML node, resolving plain scalars by the YAML 1.2 core schema.
    public init(yaml node: Node) throws {
        switch node {
        case .scalar(let scalar):
            self = scalar.style == .plain ? Self.resolvePlain(scalar.string) : .string(scalar.string)
        case .sequence(let seq):
            self = .array(try seq.map { try JSONValue(yaml: $0) })
        case .mapping(let map):
            var out: [String: JSONValue] = [:]
            for (k, v) in map {
                guard case .scalar(let key) = k else {
                    throw BatonError(.malformed, "line \(k.mark?.line ?? 0): a mapping key must be a plain value")
                }
                if out[key.string] != nil {
                    throw BatonError(.malformed, "line \(k.mark?.line ?? 0): key '\(key.string)' appears twice")
                }
                out[key.string] = try JSONValue(yaml: v)
            }
            self = .object(out)
        case .alias:
            throw BatonError(.malformed, "line \(node.mark?.line ?? 0): YAML aliases are not supported")
        }
    }

    static func resolvePlain(_ s: String) -> JSONValue {
        switch s {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if s.wholeMatch(of: /[-+]?[0-9]+/) != nil, let n = Double(s) { return .number(n) }
        if s.wholeMatch(of: /[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?/) != nil, let n = Double(s) {
            return .number(n)
        }
        return .string(s)
    }
}

extension YamlError {
    /// One line: what and where, without the echoed document.
    var shortDescription: String {
        switch self {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            return "\(problem)\(context.map { " \($0.text)" } ?? "") at line \(mark.line), column \(mark.column)"
        default:
            return String(describing: self).split(separator: "\n").first.map(String.init) ?? "syntax error"
        }
    }
}

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
        // Every value written takes at least two bytes of text; more values than that come from
        // aliases repeating anchors ("billion laughs"), which would expand without bound.
        var budget = text.utf8.count / 2 + 64
        return try JSONValue(yaml: node, budget: &budget)
    }

    /// Refuses documents nested deeper than JSON allows (`JSONParser.maxDepth`) before the YAML
    /// parser, which recurses, sees them. Flow brackets outside quotes and comments count one
    /// level each; block indentation (with the `- ` and `? ` indicators that open a level on the
    /// same line) counts one level per two columns.
    static func checkNesting(_ text: String) throws {
        let tooDeep = BatonError(.malformed, "the YAML is nested too deeply")
        var depth = 0
        var quote: UInt8?
        var escaped = false
        var comment = false
        var atLineStart = true
        var indent = 0
        var previous: UInt8 = 0x0A
        var bytes = text.utf8.makeIterator()
        while let b = bytes.next() {
            defer { previous = b }
            if b == 0x0A {
                atLineStart = true
                indent = 0
                comment = false
                continue
            }
            if comment { continue }
            if let q = quote {
                if escaped { escaped = false } else if q == UInt8(ascii: "\""), b == UInt8(ascii: "\\") { escaped = true } else if b == q { quote = nil }
                continue
            }
            if atLineStart {
                if b == 0x20 || ((b == UInt8(ascii: "-") || b == UInt8(ascii: "?")) && (previous == 0x20 || previous == 0x0A)) {
                    indent += b == 0x20 ? 1 : 2
                    if indent > 2 * JSONParser.maxDepth { throw tooDeep }
                    continue
                }
                atLineStart = false
            }
            let afterSpace = previous == 0x20 || previous == 0x09 || previous == 0x0A
            switch b {
            case UInt8(ascii: "#") where afterSpace: comment = true
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                if afterSpace || [UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ","), UInt8(ascii: ":")].contains(previous) { quote = b }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > JSONParser.maxDepth { throw tooDeep }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
            default: break
            }
        }
    }

    /// Converts a composed YAML node, resolving plain scalars by the YAML 1.2 core schema, and
    /// refuses to produce more than `budget` values.
    init(yaml node: Node, budget: inout Int) throws {
        budget -= 1
        guard budget >= 0 else { throw BatonError(.malformed, "the YAML expands to more values than it is long (aliases repeating anchors)") }
        switch node {
        case .scalar(let scalar):
            self = scalar.style == .plain ? Self.resolvePlain(scalar.string) : .string(scalar.string)
        case .sequence(let seq):
            var items: [JSONValue] = []
            for item in seq { items.append(try JSONValue(yaml: item, budget: &budget)) }
            self = .array(items)
        case .mapping(let map):
            var out: [String: JSONValue] = [:]
            for (k, v) in map {
                guard case .scalar(let key) = k else {
                    throw BatonError(.malformed, "line \(k.mark?.line ?? 0): a mapping key must be a plain value")
                }
                if out[key.string] != nil {
                    throw BatonError(.malformed, "line \(k.mark?.line ?? 0): key '\(key.string)' appears twice")
                }
                out[key.string] = try JSONValue(yaml: v, budget: &budget)
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
        if s.wholeMatch(of: /[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?/) != nil, let n = Double(s) {
            return .number(n)
        }
        return .string(s)
    }
}

extension YamlError {
    /// The line the error is on, when the parser knows it.
    var line: Int? {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _): mark.line
        default: nil
        }
    }

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

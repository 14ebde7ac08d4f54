import Yams

/// Where a field of a YAML document is written, so an error about `tasks[3].due.before` can name
/// its line.
public enum YAMLLocation {
    /// The 1-based line of the value at `path` (`a.b[2].c`), or of its nearest ancestor that exists;
    /// nil when the text is not YAML.
    public static func line(of path: String, in text: String) -> Int? {
        guard let root = try? Yams.compose(yaml: text, .basic) else { return nil }
        var node = root
        var line = root.mark?.line
        for step in steps(path) {
            switch (step, node) {
            case (.key(let k), .mapping(let m)):
                guard let pair = m.first(where: { $0.key.scalar?.string == k }) else { return line }
                node = pair.value
                line = pair.key.mark?.line ?? line
            case (.index(let i), .sequence(let s)):
                guard i >= 0, i < s.count else { return line }
                node = s[i]
                line = s[i].mark?.line ?? line
            default:
                return line
            }
        }
        return line
    }

    enum Step: Equatable { case key(String), index(Int) }

    /// `tasks[3].due.before` → key tasks, index 3, key due, key before.
    static func steps(_ path: String) -> [Step] {
        var out: [Step] = []
        for part in path.split(separator: ".") {
            var rest = Substring(part)
            if let open = rest.firstIndex(of: "[") {
                if open > rest.startIndex { out.append(.key(String(rest[..<open]))) }
                rest = rest[open...]
                while rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                    if let i = Int(rest[rest.index(after: rest.startIndex)..<close]) { out.append(.index(i)) }
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                out.append(.key(String(rest)))
            }
        }
        return out
    }
}

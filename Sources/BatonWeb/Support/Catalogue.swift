import Foundation
import Yams

/// The labels of the pages in one language, read from `Catalogues/LANG.yaml`: nested keys such as
/// `nav.tasks`, values with `{name}` slots.
public struct Catalogue: Sendable {
    /// `vi` or `en`.
    public let language: String
    /// Dotted key → text.
    public let texts: [String: String]

    /// Every catalogue (`LANG.yaml`) in a folder, by language; Vietnamese must be one of them.
    static func all(in folder: String) throws -> [String: Catalogue] {
        var loaded: [String: Catalogue] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".yaml") {
            let c = try Catalogue(yaml: try String(contentsOfFile: folder + "/" + file, encoding: .utf8))
            loaded[c.language] = c
        }
        guard loaded["vi"] != nil else { throw CatalogueError("the Vietnamese catalogue is missing") }
        return loaded
    }

    /// Reads a catalogue from YAML text.
    public init(yaml: String) throws {
        guard let root = try Yams.compose(yaml: yaml), case .mapping = root else {
            throw CatalogueError("a catalogue must be a mapping of keys to texts")
        }
        var texts: [String: String] = [:]
        func walk(_ node: Node, _ path: String) throws {
            switch node {
            case .mapping(let m):
                for (k, v) in m {
                    guard let key = k.scalar?.string else { throw CatalogueError("keys must be plain text (under \(path))") }
                    try walk(v, path.isEmpty ? key : path + "." + key)
                }
            case .scalar(let s):
                texts[path] = s.string
            default:
                throw CatalogueError("\(path) must be text or a mapping")
            }
        }
        try walk(root, "")
        guard let language = texts["language"] else { throw CatalogueError("a catalogue names its language") }
        self.language = language
        self.texts = texts
    }

    /// The text of `key` with its `{slots}` filled; the key itself when missing (a test keeps catalogues complete).
    public func text(_ key: String, _ values: [String: String] = [:]) -> String {
        var s = texts[key] ?? key
        for (k, v) in values { s = s.replacingOccurrences(of: "{\(k)}", with: v) }
        return s
    }

    /// The labels as nested dictionaries for templates: `{{t.nav.tasks}}`.
    public var tree: [String: Any] {
        var root: [String: Any] = [:]
        for (key, value) in texts {
            let parts = key.split(separator: ".").map(String.init)
            func insert(_ dict: inout [String: Any], _ i: Int) {
                if i == parts.count - 1 {
                    dict[parts[i]] = value
                } else {
                    var child = dict[parts[i]] as? [String: Any] ?? [:]
                    insert(&child, i + 1)
                    dict[parts[i]] = child
                }
            }
            insert(&root, 0)
        }
        return root
    }
}

struct CatalogueError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

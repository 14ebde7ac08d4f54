import Foundation
import Mustache

/// The templates (`Templates/*.mustache`, logic-less) and the catalogues, loaded once.
///
/// A page is its own template rendered from a view model, then placed in `layout`. Mustache's
/// `{{value}}` escapes HTML, so every user-written string reaches the page as text; templates
/// use `{{{…}}}` only for markup rendered here (the page inside the layout, the chart).
public struct Renderer: Sendable {
    let library: MustacheLibrary
    /// Catalogues by language; `vi` first.
    public let catalogues: [String: Catalogue]
    /// Each catalogue's labels as nested dictionaries for templates, built once (they hold only strings).
    nonisolated(unsafe) let trees: [String: [String: Any]]

    /// Loads the templates and catalogues shipped with BatonWeb.
    public static func bundled() throws -> Renderer {
        guard let root = resourceRoot else { throw CatalogueError("BatonWeb's resources are missing") }
        return try Renderer(templates: root + "/Templates", catalogues: root + "/Catalogues")
    }

    /// Where the templates, assets and catalogues were installed with the executable.
    static var resourceRoot: String? { Bundle.module.resourcePath }

    init(templates: String, catalogues: String) throws {
        var library = MustacheLibrary()
        let fm = FileManager.default
        for file in try fm.contentsOfDirectory(atPath: templates) where file.hasSuffix(".mustache") {
            let text = try String(contentsOfFile: templates + "/" + file, encoding: .utf8)
            try library.register(text, named: String(file.dropLast(".mustache".count)))
        }
        self.library = library
        let loaded = try Catalogue.all(in: catalogues)
        self.catalogues = loaded
        self.trees = loaded.mapValues(\.tree)
    }

    /// The catalogue for `language`, Vietnamese when there is none.
    public func catalogue(_ language: String) -> Catalogue { catalogues[language] ?? catalogues["vi"]! }

    /// Renders `template` with `model`, inside the layout with `chrome`.
    func page(_ template: String, _ model: [String: Any], chrome: [String: Any]) throws -> String {
        var inner = chrome
        for (k, v) in model { inner[k] = v }
        // The labels are clean already, and the largest part: cleaned once when loaded, not per page.
        let labels = inner.removeValue(forKey: "t")
        inner = Self.clean(inner) as? [String: Any] ?? [:]
        inner["t"] = labels
        guard let body = library.render(inner, withTemplate: template) else { throw CatalogueError("no template \(template)") }
        var outer = chrome
        outer["body"] = body
        guard let html = library.render(outer, withTemplate: "layout") else { throw CatalogueError("no layout template") }
        return html
    }

    /// The model without absent values: nil optionals and empty strings are dropped, so that a
    /// `{{#field}}` section shows only when there is something to show.
    static func clean(_ value: Any) -> Any? {
        switch value {
        case let s as String: return s.isEmpty ? nil : s
        case let d as [String: Any]: return d.compactMapValues { clean($0) }
        case let a as [Any]: return a.compactMap { clean($0) }
        case is Bool, is Int, is Int64, is Double: return value
        default:
            // An optional that held none of the above: nil, or its value cleaned.
            let mirror = Mirror(reflecting: value)
            guard mirror.displayStyle == .optional else { return value }
            return mirror.children.first.flatMap { clean($0.value) }
        }
    }
}

@testable import BatonWeb
import Foundation
import Testing

@Suite struct CatalogueTests {
    @Test func bothLanguagesHaveEveryLabel() throws {
        let r = try Renderer.bundled()
        let vi = try #require(r.catalogues["vi"]), en = try #require(r.catalogues["en"])
        #expect(Set(vi.texts.keys) == Set(en.texts.keys))
        #expect(vi.texts.values.allSatisfy { !$0.isEmpty } && en.texts.values.allSatisfy { !$0.isEmpty })
    }

    @Test func everyLabelATemplateUsesExists() throws {
        let r = try Renderer.bundled()
        let vi = try #require(r.catalogues["vi"])
        let dir = try #require(Renderer.resourceRoot) + "/Templates"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(files.count >= 10)
        for file in files {
            let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
            for m in text.matches(of: /\{\{\{?t\.([a-z_.]+)\}?\}\}/) {
                #expect(vi.texts[String(m.1)] != nil, "\(file): t.\(m.1)")
            }
        }
    }

    @Test func slotsAreFilled() throws {
        let c = try Catalogue(yaml: "language: vi\na:\n  b: còn {n} ngày\n")
        #expect(c.text("a.b", ["n": "3"]) == "còn 3 ngày")
        #expect(c.text("missing") == "missing")
        #expect((c.tree["a"] as? [String: Any])?["b"] as? String == "còn {n} ngày")
    }
}


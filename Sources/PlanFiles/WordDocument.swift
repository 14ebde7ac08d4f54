import BatonCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// The text of a Word (.docx) file: a zip whose `word/document.xml` holds paragraphs (`w:p`) of
/// runs (`w:t`), tabs and breaks, and tables of such paragraphs. Each paragraph becomes a line.
/// Word's own list numbering (`w:numPr`, defined in `word/numbering.xml`) is written out as the
/// reader sees it — "I.", "1.", "a)", or "- " for bullets — so the outline finds the levels.
enum WordDocument {
    static func text(of data: Data) throws -> String {
        guard data.starts(with: [0x50, 0x4B]) else { throw BatonError.invalid(nil, "the file is not a Word document (.docx is a zip archive)") }
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch {
            throw BatonError.invalid(nil, "the file is not a Word document (its zip archive cannot be read)")
        }
        guard let document = try part("word/document.xml", of: archive) else {
            throw BatonError.invalid(nil, "the zip archive holds no word/document.xml: not a Word document")
        }
        let numbering = NumberingReader()
        if let xml = try part("word/numbering.xml", of: archive) {
            let parser = XMLParser(data: xml)
            parser.delegate = numbering
            _ = parser.parse()
        }
        let reader = ParagraphReader(numbering: numbering)
        let parser = XMLParser(data: document)
        parser.delegate = reader
        guard parser.parse() else { throw BatonError.invalid(nil, "the Word document is damaged: word/document.xml is not well-formed XML") }
        return reader.lines.joined(separator: "\n\n")
    }

    static func part(_ path: String, of archive: Archive) throws -> Data? {
        guard let entry = archive[path] else { return nil }
        guard entry.uncompressedSize <= 200 << 20 else { throw BatonError.invalid(nil, "the Word document is too large once unpacked") }
        var xml = Data()
        do { _ = try archive.extract(entry, skipCRC32: false) { xml.append($0) } } catch {
            throw BatonError.invalid(nil, "the Word document is damaged: \(path) cannot be unpacked")
        }
        return xml
    }

    /// `w:num` → `w:abstractNum` → each level's number format and text ("%1.", "%2)").
    private final class NumberingReader: NSObject, XMLParserDelegate {
        struct Level { var format = "decimal"; var text = "%1."; var start = 1 }
        var abstract: [String: [Int: Level]] = [:]
        var nums: [String: String] = [:]
        private var currentAbstract: String?
        private var currentLevel: Int?
        private var currentNum: String?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch name {
            case "w:abstractNum": currentAbstract = attributes["w:abstractNumId"]
            case "w:lvl": currentLevel = attributes["w:ilvl"].flatMap { Int($0) }
            case "w:numFmt", "w:lvlText", "w:start":
                guard let a = currentAbstract, let l = currentLevel, let v = attributes["w:val"] else { return }
                var level = abstract[a]?[l] ?? Level()
                if name == "w:numFmt" { level.format = v } else if name == "w:lvlText" { level.text = v } else { level.start = Int(v) ?? 1 }
                abstract[a, default: [:]][l] = level
            case "w:num": currentNum = attributes["w:numId"]
            case "w:abstractNumId": if let n = currentNum, let v = attributes["w:val"] { nums[n] = v }
            default: break
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "w:abstractNum": currentAbstract = nil
            case "w:lvl": currentLevel = nil
            case "w:num": currentNum = nil
            default: break
            }
        }

        func level(_ num: String, _ ilvl: Int) -> Level? { nums[num].flatMap { abstract[$0]?[ilvl] } }
    }

    /// Collects paragraphs from the SAX events of WordprocessingML.
    private final class ParagraphReader: NSObject, XMLParserDelegate {
        let numbering: NumberingReader
        var lines: [String] = []
        private var paragraph = ""
        private var inText = false
        private var numID: String?
        private var ilvl = 0
        private var counters: [String: [Int: Int]] = [:]

        init(numbering: NumberingReader) { self.numbering = numbering }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch name {
            case "w:p": paragraph = ""; numID = nil; ilvl = 0
            case "w:t": inText = true
            case "w:tab": paragraph += " "
            case "w:br", "w:cr": paragraph += "\n"
            case "w:numId": numID = attributes["w:val"]
            case "w:ilvl": ilvl = attributes["w:val"].flatMap { Int($0) } ?? 0
            default: break
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "w:t": inText = false
            case "w:tc": paragraph += " "
            case "w:p":
                let text = paragraph.trimmingCharacters(in: .whitespaces)
                if !text.isEmpty { lines.append(marker() + text) }
                paragraph = ""
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inText { paragraph += string }
        }

        /// The number Word would show before this paragraph, and a space.
        func marker() -> String {
            guard let num = numID, num != "0" else { return "" }
            guard let level = numbering.level(num, ilvl) else { return "- " }
            if level.format == "bullet" || level.format == "none" { return "- " }
            var c = counters[num] ?? [:]
            c[ilvl] = (c[ilvl] ?? level.start - 1) + 1
            for deeper in c.keys where deeper > ilvl { c[deeper] = nil }
            counters[num] = c
            var text = level.text
            for l in 0...ilvl {
                let n = c[l] ?? numbering.level(num, l)?.start ?? 1
                text = text.replacingOccurrences(of: "%\(l + 1)", with: Self.format(n, numbering.level(num, l)?.format ?? "decimal"))
            }
            return text + " "
        }

        static func format(_ n: Int, _ style: String) -> String {
            switch style {
            case "upperRoman": return roman(n)
            case "lowerRoman": return roman(n).lowercased()
            case "lowerLetter": return n >= 1 && n <= 26 ? String(UnicodeScalar(UInt8(96 + n))) : String(n)
            case "upperLetter": return n >= 1 && n <= 26 ? String(UnicodeScalar(UInt8(64 + n))) : String(n)
            default: return String(n)
            }
        }

        static func roman(_ n: Int) -> String {
            let table = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
            var n = n, out = ""
            for (v, s) in table { while n >= v { out += s; n -= v } }
            return out
        }
    }
}

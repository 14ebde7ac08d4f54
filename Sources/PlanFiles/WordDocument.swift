import BatonCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// The text of a Word (.docx) file: a zip whose `word/document.xml` holds paragraphs (`w:p`) of
/// runs (`w:t`), tabs and breaks, and tables of such paragraphs. Each paragraph becomes a line;
/// a numbered or bulleted paragraph (`w:numPr`) gets a "- " so the outline sees a bullet.
enum WordDocument {
    static func text(of data: Data) throws -> String {
        guard data.starts(with: [0x50, 0x4B]) else { throw BatonError.invalid(nil, "the file is not a Word document (.docx is a zip archive)") }
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch {
            throw BatonError.invalid(nil, "the file is not a Word document (its zip archive cannot be read)")
        }
        guard let entry = archive["word/document.xml"] else {
            throw BatonError.invalid(nil, "the zip archive holds no word/document.xml: not a Word document")
        }
        guard entry.uncompressedSize <= 200 << 20 else { throw BatonError.invalid(nil, "the Word document is too large once unpacked") }
        var xml = Data()
        do { _ = try archive.extract(entry, skipCRC32: false) { xml.append($0) } } catch {
            throw BatonError.invalid(nil, "the Word document is damaged: word/document.xml cannot be unpacked")
        }
        let reader = ParagraphReader()
        let parser = XMLParser(data: xml)
        parser.delegate = reader
        guard parser.parse() else { throw BatonError.invalid(nil, "the Word document is damaged: word/document.xml is not well-formed XML") }
        return reader.lines.joined(separator: "\n\n")
    }

    /// Collects paragraphs from the SAX events of WordprocessingML.
    private final class ParagraphReader: NSObject, XMLParserDelegate {
        var lines: [String] = []
        private var paragraph = ""
        private var inText = false
        private var numbered = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch name {
            case "w:p": paragraph = ""; numbered = false
            case "w:t": inText = true
            case "w:tab": paragraph += " "
            case "w:br", "w:cr": paragraph += "\n"
            case "w:numPr": numbered = true
            default: break
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "w:t": inText = false
            case "w:tc": paragraph += " "
            case "w:p":
                let text = paragraph.trimmingCharacters(in: .whitespaces)
                if !text.isEmpty {
                    let bulleted = text.first.map { "-+•".contains($0) || $0.isNumber } ?? false
                    lines.append(numbered && !bulleted ? "- " + text : text)
                }
                paragraph = ""
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inText { paragraph += string }
        }
    }
}

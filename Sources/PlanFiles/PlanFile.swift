import BatonCore
import Foundation

/// A plan as a file: Word (.docx), PDF, plain text or Markdown, read into text for the drafter.
public enum PlanFile {
    /// The formats the drafter reads.
    public enum Format: String, Sendable, CaseIterable {
        case docx, pdf, txt, md

        /// The format a file name says (`KEHOACH.docx`), if it is one of these.
        public init?(filename: String) {
            let ext = (filename as NSString).pathExtension.lowercased()
            self.init(rawValue: ext == "markdown" ? "md" : ext == "text" ? "txt" : ext)
        }

        /// The format a media type says (`application/pdf`, …), if it is one of these.
        public init?(mediaType: String) {
            switch mediaType {
            case "application/vnd.openxmlformats-officedocument.wordprocessingml.document": self = .docx
            case "application/pdf": self = .pdf
            case "text/plain": self = .txt
            case "text/markdown", "text/x-markdown": self = .md
            default: return nil
            }
        }
    }

    /// Files larger than this are refused before they are read (a long plan is well under 5 MiB).
    public static let maxBytes = 20 << 20

    /// The text of a file's bytes in this format; what cannot be read is `validation_failed`.
    public static func text(of data: Data, format: Format) throws -> String {
        guard !data.isEmpty else { throw BatonError.invalid(nil, "the file is empty") }
        guard data.count <= maxBytes else { throw BatonError.invalid(nil, "the file is larger than \(maxBytes >> 20) MiB") }
        let text: String
        switch format {
        case .docx: text = try WordDocument.text(of: data)
        case .pdf: text = try PDFText.text(of: data)
        case .txt, .md:
            guard let s = String(data: data, encoding: .utf8) else { throw BatonError.invalid(nil, "the text is not UTF-8") }
            text = s
        }
        guard text.contains(where: { $0.isLetter }) else {
            throw BatonError.invalid(nil, format == .pdf ? "the PDF has no text layer (a scanned image?); run it through OCR first"
                                                         : "the document has no text")
        }
        return text
    }

    /// Reads a file from disk, refusing one over the limit before reading it.
    public static func text(atPath path: String, format: Format? = nil) throws -> String {
        guard let format = format ?? Format(filename: path) else {
            throw BatonError.invalid(nil, "\(path): the drafter reads .docx, .pdf, .txt and .md files")
        }
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw BatonError.invalid(nil, "\(path): no such file")
        }
        if let size = attributes[.size] as? Int, size > maxBytes {
            throw BatonError.invalid(nil, "\(path): the file is larger than \(maxBytes >> 20) MiB")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw BatonError.invalid(nil, "\(path): cannot be read") }
        return try text(of: data, format: format)
    }
}

import BatonCore
import Foundation

/// The text of a PDF through `pdftotext -layout` (Debian's poppler-utils, which the Makefile installs).
enum PDFText {
    static func text(of data: Data) throws -> String {
        guard data.starts(with: Array("%PDF".utf8)) else { throw BatonError.invalid(nil, "the file is not a PDF (it does not start with %PDF)") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-draft-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("plan.pdf")
        let output = dir.appendingPathComponent("plan.txt")
        try data.write(to: input)
        guard let tool = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext", "/opt/homebrew/bin/pdftotext"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw BatonError(.internalError, "pdftotext is not installed (Debian package poppler-utils; `make deps` installs it)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-layout", "-enc", "UTF-8", "-q", input.path, output.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let out = FileManager.default.contents(atPath: output.path) else {
            throw BatonError.invalid(nil, "the PDF cannot be read (damaged or encrypted)")
        }
        // Pages are separated by form feeds.
        return String(decoding: out, as: UTF8.self).replacingOccurrences(of: "\u{0C}", with: "\n")
    }
}

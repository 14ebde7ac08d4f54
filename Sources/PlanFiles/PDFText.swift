import BatonCore
import EmbeddedPostgres
import Foundation

/// The text of a PDF through `pdftotext -layout` (Debian's poppler-utils, which the Makefile installs),
/// run with posix_spawn and waitpid (`Subprocess`): Foundation's `Process` can miss a child's exit on Linux.
enum PDFText {
    static func text(of data: Data) throws -> String {
        guard data.starts(with: Array("%PDF".utf8)) else { throw BatonError.invalid(nil, "the file is not a PDF (it does not start with %PDF)") }
        guard let tool = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext", "/opt/homebrew/bin/pdftotext"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw BatonError(.internalError, "pdftotext is not installed (Debian package poppler-utils; `make deps` installs it)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-draft-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("plan.pdf")
        try data.write(to: input)
        // Text on stdout ("-"); pages are separated by form feeds.
        let result = try Subprocess.run(tool, ["-layout", "-enc", "UTF-8", "-q", input.path, "-"],
                                        environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"], directory: dir.path)
        guard result.status == 0 else { throw BatonError.invalid(nil, "the PDF cannot be read (damaged or encrypted)") }
        return result.stdout.replacingOccurrences(of: "\u{0C}", with: "\n")
    }
}

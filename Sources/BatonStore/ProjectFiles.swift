import BatonCore
import Foundation

/// Where Baton's data files live: `sql/` (migrations) and `workflows/` (definitions, calendars, examples).
///
/// Looked up in `$BATON_HOME`, then the working directory and its parents, then the directories
/// above the executable (so `.build/release/baton` finds the checkout it was built from).
public struct ProjectFiles: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    public var sqlDirectory: String { root + "/sql" }
    public var workflowsDirectory: String { root + "/workflows" }
    public var calendarsDirectory: String { root + "/workflows/calendars" }
    public var examplesDirectory: String { root + "/workflows/examples" }

    /// Finds the project files, or explains where it looked.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ProjectFiles {
        var candidates: [String] = []
        if let home = environment["BATON_HOME"], !home.isEmpty { candidates.append(home) }
        candidates += ancestors(of: FileManager.default.currentDirectoryPath)
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent().path
        candidates += ancestors(of: exe)
        for c in candidates where isProject(c) { return ProjectFiles(root: c) }
        throw BatonError.invalid(nil, "cannot find Baton's sql/ and workflows/ directories; run from the project's directory or set BATON_HOME")
    }

    static func isProject(_ dir: String) -> Bool {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        return fm.fileExists(atPath: dir + "/sql", isDirectory: &isDir) && isDir.boolValue
            && fm.fileExists(atPath: dir + "/workflows/task.yaml")
    }

    static func ancestors(of path: String) -> [String] {
        var out: [String] = []
        var url = URL(fileURLWithPath: path).standardizedFileURL
        for _ in 0..<8 {
            out.append(url.path)
            if url.path == "/" { break }
            url.deleteLastPathComponent()
        }
        return out
    }
}

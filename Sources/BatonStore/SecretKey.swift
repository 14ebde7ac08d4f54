import BatonCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The key that seals webhook secrets at rest: from `BATON_SECRET_KEY`, else the file named by
/// `BATON_SECRET_KEY_FILE`, else (for a private cluster) `secret.key` in its data directory. It is
/// never written to the database; statements that seal or open a secret carry it as a parameter.
public struct SecretKey: Sendable, Hashable, CustomStringConvertible {
    let value: String

    /// At least 32 characters.
    public init(_ value: String) throws {
        let v = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard v.count >= 32 else { throw BatonError.invalid("secret key", "must have at least 32 characters") }
        self.value = v
    }

    /// Never shown.
    public var description: String { "SecretKey(…)" }

    /// The key the environment names; else the one in `defaultFile`, created there (0600) when `create`.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment, defaultFile: String?,
                            create: Bool) throws -> SecretKey? {
        if let v = environment["BATON_SECRET_KEY"], !v.isEmpty { return try SecretKey(v) }
        if let path = environment["BATON_SECRET_KEY_FILE"], !path.isEmpty { return try read(path) }
        guard let defaultFile else { return nil }
        if FileManager.default.fileExists(atPath: defaultFile) { return try read(defaultFile) }
        guard create else { return nil }
        let fresh = BatonStore.newToken() + BatonStore.newToken()
        // Created 0600 from the start, and only if absent: of two processes starting at once, one writes
        // the key and the other reads it.
        let fd = open(defaultFile, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST {
                // The other process may still be writing it: a moment's grace.
                for _ in 0..<50 { if let key = try? read(defaultFile) { return key }; usleep(20_000) }
                return try read(defaultFile)
            }
            throw BatonError.invalid("secret key", "cannot write \(defaultFile): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let line = Array((fresh + "\n").utf8)
        guard line.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == line.count, fsync(fd) == 0 else {
            unlink(defaultFile)
            throw BatonError.invalid("secret key", "cannot write \(defaultFile): \(String(cString: strerror(errno)))")
        }
        return try SecretKey(fresh)
    }

    /// The key in a file (its first line).
    public static func read(_ path: String) throws -> SecretKey {
        guard let data = FileManager.default.contents(atPath: path) else { throw BatonError.invalid("secret key", "cannot read \(path)") }
        return try SecretKey(String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? "")
    }
}

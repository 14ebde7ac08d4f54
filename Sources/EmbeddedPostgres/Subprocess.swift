import Foundation

/// Runs a program to completion with posix_spawn and waitpid, capturing its output.
///
/// Foundation's `Process.waitUntilExit` can miss a child's exit on Linux; this does not.
public enum Subprocess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// Both streams, stdout first.
        public var output: String { stdout + stderr }
    }

    /// Runs `program` with `arguments` in `directory`, feeding `input` on stdin.
    public static func run(_ program: String, _ arguments: [String], environment: [String: String], directory: String = "/",
                           input: String? = nil) throws -> Result {
        var outFDs: [Int32] = [0, 0], errFDs: [Int32] = [0, 0], inFDs: [Int32] = [0, 0]
        guard pipe(&outFDs) == 0, pipe(&errFDs) == 0, pipe(&inFDs) == 0 else {
            throw LocalClusterError("cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inFDs[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outFDs[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errFDs[1], 2)
        for fd in inFDs + outFDs + errFDs { posix_spawn_file_actions_addclose(&actions, fd) }

        // Start in `directory` (the child may not be allowed to read ours): a shell changes there first.
        let argv = (["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory, program] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, envp)
        close(inFDs[0]); close(outFDs[1]); close(errFDs[1])
        guard rc == 0 else {
            close(inFDs[1]); close(outFDs[0]); close(errFDs[0])
            throw LocalClusterError("cannot run \(program): \(String(cString: strerror(rc)))")
        }
        if let input {
            var bytes = Array(input.utf8)
            var offset = 0
            while offset < bytes.count {
                let n = write(inFDs[1], &bytes[offset], bytes.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
        close(inFDs[1])
        // Read both pipes together so neither fills up and blocks the child.
        var out = Data(), err = Data()
        var fds = [pollfd(fd: outFDs[0], events: Int16(POLLIN), revents: 0), pollfd(fd: errFDs[0], events: Int16(POLLIN), revents: 0)]
        var open = 2
        var buffer = [UInt8](repeating: 0, count: 8192)
        while open > 0 {
            if poll(&fds, 2, -1) < 0 { if errno == EINTR { continue } else { break } }
            for i in 0..<2 where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = read(fds[i].fd, &buffer, buffer.count)
                if n > 0 {
                    if i == 0 { out.append(buffer, count: n) } else { err.append(buffer, count: n) }
                } else if n == 0 || errno != EINTR {
                    close(fds[i].fd)
                    fds[i].fd = -1
                    open -= 1
                }
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: code, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }
}

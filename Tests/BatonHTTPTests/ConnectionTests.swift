import BatonCore
import BatonHTTP
import BatonStore
import BatonTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What arrives on the socket: oversized or broken requests get problem+json, idle connections are closed.
@Suite struct ConnectionTests {
    /// Sends `bytes` on a new connection to `port` and returns everything read until the server closes
    /// (or `wait` seconds pass), with the seconds it took.
    static func exchange(_ bytes: [UInt8], port: Int, wait: Int = 10) -> (text: String, seconds: Double) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: wait, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else { return ("no connection", 0) }
        let start = Date()
        if !bytes.isEmpty { _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return (String(decoding: out, as: UTF8.self), Date().timeIntervalSince(start))
    }

    static func live(_ limits: ServiceLimits = ServiceLimits(), _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        try await TestCluster.withStore { store in
            let app = buildApplication(store: store, host: "127.0.0.1", port: 0, logger: Logger(label: "test"), limits: limits)
            try await app.test(.live) { client in try await body(client.port!) }
        }
    }

    @Test func oversizedAndBrokenRequestsAreProblems() async throws {
        try await Self.live { port in
            let big = Self.exchange(Array("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 40_000))\r\n\r\n".utf8), port: port)
            #expect(big.text.hasPrefix("HTTP/1.1 431") && big.text.contains("application/problem+json") && big.text.contains(#""code":"malformed""#))
            let path = Self.exchange(Array("GET /v1/tasks?\(String(repeating: "q", count: 40_000)) HTTP/1.1\r\nHost: x\r\n\r\n".utf8), port: port)
            #expect(path.text.hasPrefix("HTTP/1.1 431") && path.text.contains(#""status":431"#))
            let garbage = Self.exchange(Array("NOT HTTP AT ALL\r\n\r\n".utf8), port: port)
            #expect(garbage.text.hasPrefix("HTTP/1.1 400") && garbage.text.contains("application/problem+json"))
        }
    }

    @Test func idleAndStalledConnectionsAreClosed() async throws {
        var limits = ServiceLimits()
        limits.idleSeconds = 1
        try await Self.live(limits) { port in
            // Closed by the one-second limit, well before the client's own 30 s: on two busy cores (every suite
            // at once) the close has come after more than 5 s.
            let silent = Self.exchange([], port: port, wait: 30)
            #expect(silent.text.isEmpty && silent.seconds < 20, "closed after about a second: \(silent.seconds)")
            let stalled = Self.exchange(Array("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8), port: port, wait: 30)
            #expect(stalled.text.isEmpty && stalled.seconds < 20, "closed after about a second: \(stalled.seconds)")
        }
    }
}

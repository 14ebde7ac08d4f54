import BatonCore
import Foundation
import HTTPTypes
import BatonHTTP
import Testing

@Suite struct SystemRoutesTests {
    @Test func healthReadinessMetricsOpenAPIAndBoardPage() async throws {
        try await HTTPHarness.run { h in
            #expect(try await h.get("/healthz", as: nil).status == .ok)
            #expect(try await h.get("/readyz", as: nil)["status"]?.stringValue == "ready")
            let metrics = try await h.get("/metrics", as: nil)
            #expect(metrics.status == .ok && metrics.contentType.hasPrefix("text/plain"))
            let openapi = try await h.get("/openapi.yaml", as: nil)
            #expect(openapi.status == .ok && openapi.text.hasPrefix("openapi: 3.1"))
            // The board page is for signed-in people: a visitor is sent to sign in first.
            let page = try await h.get("/board", as: nil)
            #expect(page.status == .seeOther && page.headers[.location] == "/login?from=%2Fboard")
            // HEAD: GET's status and headers, no body.
            let head = try await h.send(.head, "/openapi.yaml", as: nil)
            #expect(head.status == .ok && head.body.isEmpty && head.headers[.contentLength] == String(openapi.body.count))
            let task = try await h.send(.head, "/v1/me", as: "chair")
            #expect(task.status == .ok && task.body.isEmpty && task.contentType.hasPrefix("application/json"))
            #expect(try await h.send(.head, "/nowhere", as: nil).status == .notFound)
        }
    }

    @Test func everyErrorIsAProblem() async throws {
        try await HTTPHarness.run { h in
            #expect(try await h.get("/nowhere", as: nil).isProblem(.notFound, "not_found"))
            #expect(try await h.get("/v1/me", as: nil).isProblem(.unauthorized, "unauthenticated"))
            let bad = try await h.get("/v1/me", as: "not-a-real-token-0000000000000000000000")
            #expect(bad.isProblem(.unauthorized, "unauthenticated") && bad.headers[.wwwAuthenticate] == "Bearer")
            #expect(try await h.get("/v1/me", as: nil, headers: ["Authorization": "Basic abc"]).isProblem(.unauthorized, "unauthenticated"))
            #expect(try await h.get("/v1/nothing-here", as: "chair").isProblem(.notFound, "not_found"))
        }
    }

    @Test func me() async throws {
        try await HTTPHarness.run { h in
            let me = try await h.get("/v1/me", as: "chair")
            #expect(me["login"]?.stringValue == "chair" && me["agency"]?.stringValue == "BCD")
            #expect(me["roles"] == .array([.string("committee")]))
        }
    }

    @Test func tooManyWrongTokensFromOneAddressAreRefused() async throws {
        var limits = ServiceLimits()
        limits.failedTokensPerMinute = 5
        BatonMetrics.bootstrap()
        try await HTTPHarness.run(limits: limits) { h in
            var statuses: [HTTPResponse.Status] = []
            for i in 0..<8 {
                statuses.append(try await h.get("/v1/me", as: String(repeating: "x", count: 39) + String(i)).status)
            }
            #expect(statuses.prefix(5).allSatisfy { $0 == .unauthorized } && statuses.suffix(3).allSatisfy { $0 == .tooManyRequests }, "\(statuses)")
            let refused = try await h.get("/v1/me", as: "chair")
            #expect(refused.isProblem(.tooManyRequests, "rate_limited"), "even a good token waits while the address is held back")
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(try await h.get("/healthz", as: nil).status == .ok, "health checks are never limited")
            #expect(try await h.get("/metrics", as: nil).text.contains("baton_rate_limited_total"))
        }
    }

    @Test("the client behind a trusted proxy is the nearest address it did not write", arguments: [
        ("10.0.0.5", ["203.0.113.9"], "10.0.0.5"),                              // not a trusted proxy: its header proves nothing
        ("127.0.0.1", [], "127.0.0.1"),                                          // a trusted proxy that names no client
        ("127.0.0.1", ["203.0.113.9"], "203.0.113.9"),
        ("127.0.0.1", ["198.51.100.1, 203.0.113.9"], "203.0.113.9"),            // the client wrote the left one
        ("127.0.0.1", ["198.51.100.1", "203.0.113.9, 10.0.0.2"], "203.0.113.9"), // through two trusted proxies, over two header lines
        ("127.0.0.1", ["2001:db8::7"], "2001:db8::7"),
        ("127.0.0.1", ["not-an-address"], "127.0.0.1"),
        ("127.0.0.1", ["10.0.0.2"], "127.0.0.1"),                                // only proxies: the peer
    ])
    func clientAddressBehindProxies(peer: String, forwardedFor: [String], client: String) {
        #expect(ClientAddress.resolve(peer: peer, forwardedFor: forwardedFor, trusted: ["127.0.0.1", "10.0.0.2"]) == client)
    }

    @Test func behindATrustedProxyEachClientHasItsOwnAllowance() async throws {
        var limits = ServiceLimits()
        (limits.perAddress, limits.addressBurst) = (0.01, 3)
        for trusted in [false, true] {
            limits.trustedProxies = trusted ? ["127.0.0.1"] : []
            try await HTTPHarness.run(limits: limits, over: .live) { h in
                let from = { (client: String) in try await h.get("/v1/me", as: "chair", headers: ["X-Forwarded-For": client]).status }
                let first = try await (0..<5).asyncMap { _ in try await from("203.0.113.9") }
                let other = try await from("198.51.100.1")
                if trusted {
                    #expect(first == [.ok, .ok, .ok, .tooManyRequests, .tooManyRequests], "the address the proxy saw is limited")
                    #expect(other == .ok, "another client behind the same proxy has its own allowance")
                } else {
                    #expect(first.allSatisfy { $0 == .ok } && other == .ok, "loopback no proxy vouches for is exempt; its header is ignored")
                }
            }
        }
    }

    @Test func aTokenThatAsksTooOftenWaits() async throws {
        var limits = ServiceLimits()
        (limits.perToken, limits.tokenBurst) = (1, 3)
        try await HTTPHarness.run(limits: limits) { h in
            let statuses = try await (0..<5).asyncMap { _ in try await h.get("/v1/me", as: "chair").status }
            #expect(statuses == [.ok, .ok, .ok, .tooManyRequests, .tooManyRequests])
            #expect(try await h.get("/v1/me", as: "office").status == .ok, "another token has its own allowance")
        }
    }

    @Test func everyAnswerCarriesTheSecurityHeaders() async throws {
        try await HTTPHarness.run { h in
            for r in [try await h.get("/v1/me", as: "chair"), try await h.get("/nowhere", as: nil), try await h.get("/openapi.yaml", as: nil)] {
                #expect(r.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("frame-ancestors 'none'") == true)
                #expect(r.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                #expect(r.headers[HTTPField.Name("Referrer-Policy")!] != nil)
            }
        }
    }
}

extension Sequence {
    /// `map` with an async transform, in order.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for e in self { out.append(try await transform(e)) }
        return out
    }
}

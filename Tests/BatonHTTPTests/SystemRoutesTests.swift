import BatonCore
import Foundation
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
}

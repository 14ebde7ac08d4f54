import BatonCore
import BatonStore
import Foundation
import HTTPTypes
import Hummingbird

/// `/v1/tasks`: assign, read, list, fire transitions, history, comments.
struct TaskController {
    let store: BatonStore

    func addRoutes(to routes: Routes) {
        routes.post("tasks") { request, context, body in
            let task = try TaskRequest(json: try RequestBodyReader.json(request, data: body))
            return try .task(try await store.createTask(planID: task.planID, spec: task.spec, by: try context.caller()), status: .created)
        }
        routes.get("tasks") { request, context in
            var filter = TaskFilter()
            filter.plan = try Query.uuid(request, "plan")
            filter.parent = try Query.uuid(request, "parent")
            filter.agency = try Query.code(request, "agency")
            if let role = request.query("role") {
                guard let r = TaskFilter.Role(rawValue: role) else { throw BatonError(.validationFailed, "must be lead or cooperating", field: "role") }
                filter.role = r
            }
            filter.state = request.query("state")
            filter.kind = try Query.choice(request, "kind", of: ["task", "incident"])
            filter.overdue = try Query.bool(request, "overdue")
            filter.dueBefore = try Query.date(request, "due_before")
            return try .json(try await store.tasks(filter, for: try context.caller(), page: try Query.page(request)))
        }
        routes.get("tasks/:id") { request, context in
            try .task(try await store.task(id: try request.uuid(context, "id", what: "task"), for: try context.caller()))
        }
        routes.post("tasks/:id/transitions") { request, context, body in
            let id = try request.uuid(context, "id", what: "task")
            let transition = try TransitionRequest(json: try RequestBodyReader.json(request, data: body))
            let task = try await store.transition(taskID: id, request: transition, ifMatch: try Self.ifMatch(request), by: try context.caller())
            return try .task(task)
        }
        routes.get("tasks/:id/events") { request, context in
            try .json(try await store.events(taskID: try request.uuid(context, "id", what: "task"), for: try context.caller(), page: try Query.page(request)))
        }
        routes.get("tasks/:id/events/:seq") { request, context in
            let id = try request.uuid(context, "id", what: "task")
            guard let seq = context.parameters.get("seq").flatMap(Int.init) else { throw BatonError(.notFound, "no such event") }
            return try .json(try await store.event(taskID: id, seq: seq, for: try context.caller()))
        }
        routes.post("tasks/:id/comments") { request, context, body in
            let id = try request.uuid(context, "id", what: "task")
            let comment = try CommentRequest(json: try RequestBodyReader.json(request, data: body))
            let event = try await store.comment(taskID: id, body: comment.body, by: try context.caller())
            return try .json(event, status: .created, headers: ["Location": "/v1/tasks/\(id.lower)/events/\(event.seq)"])
        }
    }

    /// `If-Match: "3"` (also `W/"3"`, `3`); `*` matches any version.
    static func ifMatch(_ request: Request) throws -> Int? {
        guard let raw = request.headers[.ifMatch]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty, raw != "*" else { return nil }
        var v = Substring(raw)
        if v.hasPrefix("W/") { v = v.dropFirst(2) }
        v = v.drop { $0 == "\"" }
        while v.last == "\"" { v = v.dropLast() }
        guard let version = Int(v) else { throw BatonError(.versionConflict, "If-Match must be a version such as \"3\"") }
        return version
    }
}

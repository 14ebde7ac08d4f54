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
            let json = try RequestBodyReader.json(request, data: body)
            guard let raw = json["plan_id"]?.stringValue else { throw BatonError(.validationFailed, "is required", field: "plan_id") }
            guard let planID = UUID(hex: raw) else { throw BatonError(.validationFailed, "'\(raw.prefix(60))' is not a plan id", field: "plan_id") }
            let spec = try TaskSpec(json: json, path: "", keyRequired: false, extraKeys: ["plan_id"])
            return try .task(try await store.createTask(planID: planID, spec: spec, by: try context.caller()), status: .created)
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
            if let kind = request.query("kind") {
                guard ["task", "incident"].contains(kind) else { throw BatonError(.validationFailed, "must be task or incident", field: "kind") }
                filter.kind = kind
            }
            filter.overdue = try Query.bool(request, "overdue")
            filter.dueBefore = try Query.date(request, "due_before")
            return try .json(try await store.tasks(filter, for: try context.caller(), page: try Query.page(request)))
        }
        routes.get("tasks/:id") { request, context in
            try .task(try await store.task(id: try request.uuid(context, "id", what: "task"), for: try context.caller()))
        }
        routes.post("tasks/:id/transitions") { request, context, body in
            let id = try request.uuid(context, "id", what: "task")
            let json = try RequestBodyReader.json(request, data: body)
            guard let o = json.objectValue else { throw BatonError(.validationFailed, "the body must be an object {\"name\": …}") }
            if let extra = o.keys.sorted().first(where: { !["name", "note", "params"].contains($0) }) {
                throw BatonError(.validationFailed, "is not a field of a transition (name, note, params)", field: extra)
            }
            guard let name = o["name"]?.stringValue, !name.isEmpty else { throw BatonError(.validationFailed, "is required", field: "name") }
            let note = try Text.words(o["note"], field: "note", max: TaskSpec.descriptionLimit, multiline: true, required: false)
            var params: [String: JSONValue] = [:]
            if let p = o["params"], !p.isNull {
                guard let object = p.objectValue else { throw BatonError(.validationFailed, "must be an object", field: "params") }
                params = object
            }
            let ifMatch = try Self.ifMatch(request)
            let task = try await store.transition(taskID: id, request: TransitionRequest(name: name, note: note, params: params),
                                                  ifMatch: ifMatch, by: try context.caller())
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
            let json = try RequestBodyReader.json(request, data: body)
            guard let o = json.objectValue else { throw BatonError(.validationFailed, "the body must be an object {\"body\": …}") }
            if let extra = o.keys.sorted().first(where: { $0 != "body" }) {
                throw BatonError(.validationFailed, "is not a field of a comment (body)", field: extra)
            }
            let text = try Text.words(o["body"], field: "body", max: TaskSpec.descriptionLimit, multiline: true)!
            let event = try await store.comment(taskID: id, body: text, by: try context.caller())
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

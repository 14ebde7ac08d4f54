import BatonCore
import BatonStore
import Hummingbird

/// `/v1/notifications`: the caller's agency inbox.
struct NotificationController {
    let store: BatonStore

    func addRoutes(to routes: Routes) {
        routes.get("notifications") { request, context in
            let unread = try Query.bool(request, "unread") ?? false
            return try .json(try await store.notifications(for: try context.caller(), unreadOnly: unread, page: try Query.page(request)))
        }
        routes.post("notifications/:id/read") { _, context, _ in
            guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw BatonError(.notFound, "no such notification") }
            return try .json(try await store.markRead(notification: id, by: try context.caller()))
        }
    }
}

import BatonCore
import BatonStore
import Hummingbird

/// `/v1/stats`: the four buckets of task reporting per agency over a period, JSON or CSV.
struct StatsController {
    let store: BatonStore

    func addRoutes(to routes: Routes) {
        routes.get("stats") { request, context in
            let period = try ReportPeriod(period: request.query("period"), from: try Query.date(request, "from"), to: try Query.date(request, "to"))
            let stats = try await store.stats(period: period, plan: try Query.uuid(request, "plan"), under: try Query.code(request, "under"),
                                              for: try context.caller())
            return request.wantsCSV ? .csv(stats.csv, filename: "stats-\(period.name ?? "\(period.from)-\(period.to)").csv") : try .json(stats)
        }
    }
}

/// `/v1/notifications`: the caller's agency inbox.
struct NotificationController {
    let store: BatonStore

    func addRoutes(to routes: Routes) {
        routes.get("notifications") { request, context in
            let unread = try Query.bool(request, "unread") ?? false
            return try .json(try await store.notifications(for: try context.caller(), unreadOnly: unread, page: try Query.page(request)))
        }
        routes.post("notifications/:id/read") { _, context, _ in
            guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw Problem(.notFound, "no such notification") }
            return try .json(try await store.markRead(notification: id, by: try context.caller()))
        }
    }
}

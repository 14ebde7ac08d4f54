import BatonCore
import BatonStore
import Hummingbird

/// `/v1/stats`: the four buckets of task reporting per agency over a period, JSON or CSV.
struct StatsController {
    let store: BatonStore

    func addRoutes(to routes: Routes) {
        routes.get("stats") { request, context in
            guard let from = try Query.date(request, "from") else { throw BatonError(.validationFailed, "is required (YYYY-MM-DD)", field: "from") }
            guard let to = try Query.date(request, "to") else { throw BatonError(.validationFailed, "is required (YYYY-MM-DD)", field: "to") }
            let stats = try await store.stats(from: from, to: to, plan: try Query.uuid(request, "plan"), under: try Query.code(request, "under"),
                                              for: try context.caller())
            return request.wantsCSV ? .csv(stats.csv, filename: "stats-\(from)-\(to).csv") : try .json(stats)
        }
    }
}

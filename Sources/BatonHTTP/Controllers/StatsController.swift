import BatonCore
import BatonStore
import BatonWeb
import Hummingbird

/// `/v1/stats`: the four buckets of task reporting per agency over a period, JSON or CSV.
struct StatsController {
    let store: BatonStore

    func addRoutes(to routes: Routes) {
        routes.get("stats") { request, context in
            let form = try request.reportForm()
            let period = try ReportPeriod(period: request.query("period"), from: try Query.date(request, "from"), to: try Query.date(request, "to"))
            let stats = try await store.stats(period: period, plan: try Query.uuid(request, "plan"), under: try Query.code(request, "under"),
                                              for: try context.caller())
            guard form.csv else { return try .json(stats) }
            return .csv(CSV.document(header: form.headers(Stats.Row.columns), rows: stats.rows.map(\.fields)),
                        filename: "stats-\(period.name ?? "\(period.from)-\(period.to)").csv")
        }
    }
}

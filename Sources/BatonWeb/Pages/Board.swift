import BatonCore
import BatonStore
import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// The standing office's pages: the pending-by-agency board (live), the four-bucket statistics of a
/// period as a table, a chart and a printable report, and both as CSV with headers in the reader's language.
extension WebPages {
    /// The board's filters as the page's query gives them.
    private func boardFilter(_ call: PageCall) -> BoardFilter {
        BoardFilter(plan: call.query("plan").flatMap(UUID.init(uuidString:)), kind: call.query("kind"),
                    under: call.query("under").map(AgencyInput.code))
    }

    /// `/board`: one row per agency with open work; totals; overdue first when asked; each agency opens its tasks.
    func boardPage(_ call: PageCall) async throws -> PageResponse {
        let t = call.t
        let filter = boardFilter(call)
        async let boardRead = store.board(filter, for: call.who)
        async let planList = store.planTitles(for: call.who)
        let (board, plans) = try await (boardRead, planList)
        let byOverdue = call.query("sort") != "code"
        let sorted = byOverdue ? board.rows : board.rows.sorted(by: Board.Row.byCode)  // the board comes worst first
        // A page of rows at a time (the totals count them all): a 5,000-agency plan stays readable on a phone.
        let pageSize = 100
        let pageCount = max(1, (sorted.count + pageSize - 1) / pageSize)
        let pageNumber = min(max(1, call.query("page").flatMap(Int.init) ?? 1), pageCount)
        let rows = sorted.dropFirst((pageNumber - 1) * pageSize).prefix(pageSize)
        func sum(_ f: (Board.Row) -> Int) -> Int { board.rows.reduce(0) { $0 + f($1) } }
        // The total's rate by the rows' own rule (closed on time over closed on time or late) and rounding.
        func percent(_ rate: Double?) -> String { rate.map { "\(Int(($0 * 100).rounded()))%" } ?? "—" }
        let totalRate = BoardColumn.onTimeRate.derived { column in sum { $0[column] } }
        let planQuery = filter.plan.map { "&plan=\($0.lower)" } ?? ""
        let query = request(call, keeping: ["plan", "kind", "under", "sort"])
        return try call.render("board", title: t.text("board.title"), [
            "plans": plans.map { p in ["id": p.id.lower, "label": p.label, "selected": p.id == filter.plan] as [String: Any] },
            "kind": filter.kind ?? "", "under": filter.under ?? "", "by_overdue": byOverdue,
            "as_of": t.text("common.data_as_of", ["time": Format.dateTime(board.asOf)]),
            "rows": rows.map { r in
                ["agency": r.agency, "name": r.name, "href": "/tasks?agency=\(r.agency)\(planQuery)",
                 "open": r.open, "unacknowledged": r.unacknowledged, "overdue": r.overdue, "has_overdue": r.overdue > 0,
                 "due_soon": r.dueSoon, "closed": r.closed, "rate": percent(r.onTimeRate)] as [String: Any]
            },
            "totals": ["open": sum(\.open), "unacknowledged": sum(\.unacknowledged), "overdue": sum(\.overdue), "has_overdue": sum(\.overdue) > 0,
                       "due_soon": sum(\.dueSoon), "closed": sum(\.closed), "rate": percent(totalRate)] as [String: Any],
            "empty": rows.isEmpty, "csv_href": "/board.csv" + query, "events_href": "/board/events" + query,
            "paged": pageCount > 1,
            "showing": t.text("board.showing", ["from": String((pageNumber - 1) * pageSize + 1), "to": String((pageNumber - 1) * pageSize + rows.count),
                                                "total": String(sorted.count)]),
            "previous_href": pageNumber > 1 ? "/board" + self.request(call, keeping: ["plan", "kind", "under", "sort"], page: pageNumber - 1) : "",
            "next_href": pageNumber < pageCount ? "/board" + self.request(call, keeping: ["plan", "kind", "under", "sort"], page: pageNumber + 1) : "",
            "stats_href": "/stats" + (filter.plan.map { "?plan=\($0.lower)" } ?? ""),
        ])
    }

    /// The page's own query, limited to `names`, as `?a=b&…` (empty when none).
    private func request(_ call: PageCall, keeping names: [String], page: Int? = nil) -> String {
        var parts = names.compactMap { n in call.query(n).map { "\(n)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" } }
        if let page { parts.append("page=\(page)") }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }

    /// `/board.csv`: the same rows as the API's CSV, with headers in the reader's language.
    func boardCSV(_ call: PageCall) async throws -> PageResponse {
        let board = try await store.board(boardFilter(call), for: call.who)
        let csv = CSV.document(header: ColumnLabels.headers(Board.Row.columns, in: call.t), rows: board.rows.map(\.fields))
        return .download(Data(csv.utf8), contentType: "text/csv; charset=utf-8", filename: "board.csv")
    }

    /// `/board/events`: server-sent events; `change` whenever the outbox records something new, so an
    /// open board reloads its rows without a page reload.
    func boardEvents(_ call: PageCall) async throws -> PageResponse {
        let live = self.live
        let body = ResponseBody { writer in
            var last = try await live.current()
            try await writer.write(ByteBuffer(string: "retry: 5000\nevent: ready\ndata: \(last)\n\n"))
            var quiet = 0
            // Bounded: a page listens for an hour at most, then the browser reconnects by itself; a server
            // shutting down ends the stream at once.
            for _ in 0..<1800 {
                try await Task.sleep(for: .seconds(2))
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                let now = try await live.current()
                if now != last {
                    last = now
                    quiet = 0
                    try await writer.write(ByteBuffer(string: "event: change\ndata: \(now)\n\n"))
                } else {
                    quiet += 1
                    if quiet % 10 == 0 { try await writer.write(ByteBuffer(string: ": still here\n\n")) }
                }
            }
            try await writer.finish(nil)
        }
        return .stream(body, contentType: "text/event-stream")
    }

    // MARK: Statistics

    /// The period the page asks for: `?period=` (default: this year), or `?from=&to=` as dd/mm/yyyy.
    private func period(_ call: PageCall) async throws -> ReportPeriod {
        let (name, from, to) = (call.query("period"), call.query("from"), call.query("to"))
        guard name != nil || from != nil || to != nil else {
            return try ReportPeriod(name: String(LocalDate(containing: try await store.now(), in: TimeZone.named(PlanDocument.defaultTimeZone)).year))
        }
        func day(_ text: String?, _ field: String) throws -> LocalDate? {
            guard let text else { return nil }
            guard let d = DueInput.date(text) else { throw BatonError.invalid(field, "is not a date dd/mm/yyyy") }
            return d
        }
        // The API's rule: a period by name, or from and to, never both.
        return try ReportPeriod(period: name, from: try day(from, "from"), to: try day(to, "to"))
    }

    /// `/stats`: the four buckets per agency for a period, a chart, and a report to print.
    func statsPage(_ call: PageCall) async throws -> PageResponse {
        let t = call.t
        let period = try await self.period(call)
        let plan = call.query("plan").flatMap(UUID.init(uuidString:))
        async let statsRead = store.stats(period: period, plan: plan, under: call.query("under").map(AgencyInput.code), for: call.who)
        async let planList = store.planTitles(for: call.who)
        let (stats, plans) = try await (statsRead, planList)
        let year = period.from.year
        let periods = [String(year), "\(year)-H1", "\(year)-H2", "\(year)-Q1", "\(year)-Q2", "\(year)-Q3", "\(year)-Q4", String(year - 1), "\(year - 1)-H2"]
        func label(_ name: String) -> String {
            if name.hasSuffix("-H1") { return t.text("stats.periods.h1") + " " + name.prefix(4) }
            if name.hasSuffix("-H2") { return t.text("stats.periods.h2") + " " + name.prefix(4) }
            if name.count == 4 { return t.text("stats.periods.year") + " " + name }
            return name
        }
        let rows = stats.rows.filter { $0.closedOnTime + $0.closedLate + $0.openWithinTerm + $0.openOverdue + $0.noDeadline > 0 }
        func sum(_ f: (Stats.Row) -> Int) -> Int { rows.reduce(0) { $0 + f($1) } }
        let query = request(call, keeping: ["period", "plan", "under", "from", "to"])
        let planTitle = plan.flatMap { id in plans.first { $0.id == id } }.map(\.label)
        return try call.render("stats", title: t.text("stats.title"), [
            "periods": periods.map { ["value": $0, "label": label($0), "selected": $0 == period.name] as [String: Any] },
            "plans": plans.map { p in ["id": p.id.lower, "label": p.label, "selected": p.id == plan] as [String: Any] },
            "period_label": period.name.map(label) ?? "\(Format.date(period.from)) – \(Format.date(period.to))",
            "range": "\(Format.date(period.from)) – \(Format.date(period.to))", "plan_title": planTitle ?? t.text("board.all_plans"),
            "as_of": t.text("common.data_as_of", ["time": Format.dateTime(stats.asOf)]),
            "rows": rows.map { r in
                ["agency": r.agency, "name": r.name, "on_time": r.closedOnTime, "late": r.closedLate, "within": r.openWithinTerm,
                 "overdue": r.openOverdue, "has_overdue": r.openOverdue > 0, "none": r.noDeadline] as [String: Any]
            },
            "totals": ["on_time": sum(\.closedOnTime), "late": sum(\.closedLate), "within": sum(\.openWithinTerm), "overdue": sum(\.openOverdue),
                       "none": sum(\.noDeadline)],
            "empty": rows.isEmpty, "chart": StatsChart.svg(rows: rows, t: t), "csv_href": "/stats.csv" + query,
        ])
    }

    /// `/stats.csv`: the statistics with headers in the reader's language.
    func statsCSV(_ call: PageCall) async throws -> PageResponse {
        let period = try await self.period(call)
        let stats = try await store.stats(period: period, plan: call.query("plan").flatMap(UUID.init(uuidString:)),
                                          under: call.query("under").map(AgencyInput.code), for: call.who)
        let csv = CSV.document(header: ColumnLabels.headers(Stats.Row.columns, in: call.t), rows: stats.rows.map(\.fields))
        return .download(Data(csv.utf8), contentType: "text/csv; charset=utf-8", filename: "stats-\(period.description).csv")
    }
}

/// Column headers of the board and statistics in a language (CSV for people); the API keeps its field names.
public enum ColumnLabels {
    /// The catalogues alone (the API has no templates to load).
    private static let catalogues = Renderer.resourceRoot.flatMap { try? Catalogue.all(in: $0 + "/Catalogues") } ?? [:]

    /// `columns` (JSON field names) as labels of `language`; a name without a label stays as it is.
    public static func headers(_ columns: [String], language: String) -> [String] {
        guard let catalogue = catalogues[language] else { return columns }
        return headers(columns, in: catalogue)
    }

    /// `columns` as labels of a page's catalogue.
    static func headers(_ columns: [String], in catalogue: Catalogue) -> [String] {
        columns.map { catalogue.texts["columns.\($0)"] ?? $0 }
    }
}

/// The statistics as a horizontal stacked bar chart, drawn on the server as SVG (no script, no library).
enum StatsChart {
    static func svg(rows: [Stats.Row], t: Catalogue) -> String {
        let shown = rows.sorted { ($0.openOverdue, $0.closedOnTime + $0.closedLate + $0.openWithinTerm) > ($1.openOverdue, $1.closedOnTime + $1.closedLate + $1.openWithinTerm) }.prefix(15)
        guard !shown.isEmpty else { return "" }
        let parts: [(key: String, color: String, value: (Stats.Row) -> Int)] = [
            ("stats.closed_on_time", "#1b7f3b", { $0.closedOnTime }), ("stats.closed_late", "#b8860b", { $0.closedLate }),
            ("stats.open_within_term", "#2a62b8", { $0.openWithinTerm }), ("stats.open_overdue", "#b3261e", { $0.openOverdue }),
        ]
        let maxTotal = max(1, shown.map { r in parts.reduce(0) { $0 + $1.value(r) } }.max() ?? 1)
        let barHeight = 22, gap = 8, width = 640
        let top = 52
        let height = top + shown.count * (barHeight + gap + 16) + 4
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
                .replacingOccurrences(of: "\"", with: "&quot;")
        }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-labelledby=\"chart-title\" class=\"chart\">"
        svg += "<title id=\"chart-title\">\(esc(t.text("stats.chart")))</title>"
        for (i, p) in parts.enumerated() {
            let (x, y) = ((i % 2) * 320, 4 + (i / 2) * 20)
            svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"14\" height=\"14\" fill=\"\(p.color)\"/><text x=\"\(x + 18)\" y=\"\(y + 12)\" font-size=\"12\">\(esc(t.text(p.key)))</text>"
        }
        for (i, r) in shown.enumerated() {
            let y = top + i * (barHeight + gap + 16)
            svg += "<text x=\"0\" y=\"\(y + 12)\" font-size=\"13\">\(esc(r.name))</text>"
            var bx = 0
            for p in parts {
                let v = p.value(r)
                guard v > 0 else { continue }
                let w = max(2, v * (width - 40) / maxTotal)
                svg += "<rect x=\"\(bx)\" y=\"\(y + 16)\" width=\"\(w)\" height=\"\(barHeight)\" fill=\"\(p.color)\"><title>\(esc(t.text(p.key))): \(v)</title></rect>"
                if w >= 22 { svg += "<text x=\"\(bx + 4)\" y=\"\(y + 32)\" font-size=\"12\" fill=\"#fff\">\(v)</text>" }
                bx += w
            }
        }
        return svg + "</svg>"
    }
}

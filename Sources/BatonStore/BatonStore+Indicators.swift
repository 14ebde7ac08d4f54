import BatonCore
import Foundation
import Postgres

/// A value an agency reports for an indicator and a period.
public struct IndicatorReport: Sendable, Hashable {
    public let period: String
    public let value: Double
    public let numerator: Double?
    public let denominator: Double?
    public let note: String?

    /// Reads `{"period": "2026-H1", "value": 72.5}` or `{"period": "2026", "numerator": 350, "denominator": 500}`.
    public init(json: JSONValue) throws {
        guard let o = json.objectValue else { throw BatonError.invalid(nil, "a report must be an object") }
        if let extra = o.keys.sorted().first(where: { !["period", "value", "numerator", "denominator", "note"].contains($0) }) {
            throw BatonError.invalid(extra, "is not a field of an indicator report")
        }
        guard let text = o["period"]?.stringValue else {
            throw BatonError.invalid("period", "is required: a year (2026), a half (2026-H1), a quarter (2026-Q3) or a month (2026-06)")
        }
        let period = try ReportPeriod(name: text).description
        func number(_ k: String) throws -> Double? {
            guard let v = o[k], !v.isNull else { return nil }
            guard case .number(let n) = v, n.isFinite, n >= 0 else { throw BatonError.invalid(k, "must be a number of 0 or more") }
            return n
        }
        numerator = try number("numerator")
        denominator = try number("denominator")
        if (numerator == nil) != (denominator == nil) { throw BatonError.invalid("denominator", "numerator and denominator go together") }
        if let d = denominator, d == 0 { throw BatonError.invalid("denominator", "must be more than 0") }
        if let v = try number("value") {
            value = v
        } else if let n = numerator, let d = denominator {
            value = n / d * 100
        } else {
            throw BatonError.invalid("value", "is required (or numerator and denominator)")
        }
        self.period = period
        note = try Text.words(o["note"], field: "note", max: 5_000, multiline: true, required: false)
    }
}

/// An indicator with its values rolled up per period across agencies and plans under this one.
public struct IndicatorStatus: Sendable, JSONWritable {
    public struct Period: Sendable, Hashable, JSONWritable {
        public let period: String
        public let value: Double
        public let reports: Int
        public let meetsTarget: Bool

        public func write(to w: inout JSONWriter) {
            w.openObject()
            w.field("period", period)
            w.field("value", (value * 100).rounded() / 100)
            w.field("reports", reports)
            w.field("meets_target", meetsTarget)
            w.closeObject()
        }
    }

    public let key: String
    public let name: String
    public let unit: String
    public let direction: String
    public let target: Double
    public let baseline: Double?
    public let reportedBy: JSONValue?
    public let periods: [Period]

    public func write(to w: inout JSONWriter) {
        w.openObject()
        w.field("key", key)
        w.field("name", name)
        w.field("unit", unit)
        w.field("direction", direction)
        w.field("target", target)
        w.field("baseline", baseline)
        w.field("reported_by", reportedBy)
        w.field("periods", periods)
        w.field("latest", periods.last)
        w.closeObject()
    }
}

extension BatonStore {
    /// Periods in time order: by the day they end, the finer first (2026-12, 2026-Q4, 2026-H2, 2026).
    static func periodOrder(_ column: String) -> PostgresQuery {
        let c = PostgresQuery(unsafeSQL: column)
        return """
            (CASE WHEN \(fragment: c) ~ '^[0-9]{4}$' THEN make_date(left(\(fragment: c), 4)::int, 12, 31)
                  WHEN \(fragment: c) ~ '-H1$' THEN make_date(left(\(fragment: c), 4)::int, 6, 30)
                  WHEN \(fragment: c) ~ '-H2$' THEN make_date(left(\(fragment: c), 4)::int, 12, 31)
                  WHEN \(fragment: c) ~ '-Q' THEN (make_date(left(\(fragment: c), 4)::int, right(\(fragment: c), 1)::int * 3, 1) + interval '1 month - 1 day')::date
                  ELSE (make_date(left(\(fragment: c), 4)::int, right(\(fragment: c), 2)::int, 1) + interval '1 month - 1 day')::date END),
            (CASE WHEN \(fragment: c) ~ '-[0-9]{2}$' THEN 1 WHEN \(fragment: c) ~ '-Q' THEN 2 WHEN \(fragment: c) ~ '-H' THEN 3 ELSE 4 END)
            """
    }

    /// Records (or corrects) the caller's agency's value for an indicator and period.
    ///
    /// Who may report: agencies the indicator's `reported_by` names (an agency, every agency under
    /// one, or every agency of a kind), else the plan's monitor.
    public func reportIndicator(planID: UUID, key: String, report: IndicatorReport, by who: Principal) async throws -> IndicatorStatus {
        guard let agency = who.agencyID else { throw BatonError(.forbidden, "an agency reports indicator values") }
        try await pool.transaction { conn in
            guard let row = try conn.query("""
                SELECT i.reported_by, i.unit, p.monitor_id, p.issuer_id, (\(fragment: Self.planVisible(who))) AS visible
                FROM plan_indicators i JOIN plans p ON p.id = i.plan_id WHERE i.plan_id = \(planID) AND i.key = \(key)
                """).single else {
                throw BatonError.notFound("indicator \(key) of plan \(planID.lower)")
            }
            let allowed: Bool
            if let text = try row.decode(String?.self, "reported_by") {
                let form = try LeadForm(json: try JSONParser.parse(text), field: "reported_by")
                let reaches = try Self.reach(conn, form, issuer: try row.decode(Int64.self, "issuer_id"), field: "reported_by", mode: .check)
                allowed = try conn.query("SELECT 1 AS one FROM agencies a WHERE a.id = \(agency) AND (\(fragment: reaches))").count == 1
            } else {
                allowed = try row.decode(Int64?.self, "monitor_id") ?? row.decode(Int64.self, "issuer_id") == agency
            }
            // An agency asked to report sees the indicator; to anyone else who cannot see the plan it does not exist.
            guard allowed else {
                guard try row.decode(Bool.self, "visible") else { throw BatonError.notFound("indicator \(key) of plan \(planID.lower)") }
                throw BatonError(.forbidden, "\(who.agency ?? "your agency") does not report \(key) for this plan")
            }
            if try row.decode(String.self, "unit") == "percent", report.value > 100 {
                throw BatonError.invalid(report.numerator == nil ? "value" : "numerator", "\(key) is a percentage: at most 100, or a numerator no larger than its denominator")
            }
            try conn.query("""
                INSERT INTO indicator_reports (plan_id, key, agency_id, period, value, numerator, denominator, note, reported_at, reported_by)
                VALUES (\(planID), \(key), \(agency), \(report.period), \(report.value), \(report.numerator), \(report.denominator), \(report.note),
                        baton_now(), \(who.userID))
                ON CONFLICT (plan_id, key, agency_id, period) DO UPDATE
                SET value = excluded.value, numerator = excluded.numerator, denominator = excluded.denominator, note = excluded.note,
                    reported_at = excluded.reported_at, reported_by = excluded.reported_by
                """)
        }
        guard let status = try await indicators(planID: planID, for: nil).first(where: { $0.key == key }) else {
            throw BatonError.notFound("indicator \(key)")
        }
        return status
    }

    /// A plan's indicators with values per period, rolled up over the reporting agencies and over
    /// the plans made under this one that report the same indicator: a count adds up; a percentage
    /// is weighted by its denominators when every report gives them, else averaged.
    /// - Parameter who: the caller, who must see the plan; nil once that has been checked.
    public func indicators(planID: UUID, for who: Principal?) async throws -> [IndicatorStatus] {
        try await pool.withConnection { conn in
            if let who {
                guard try conn.query("SELECT 1 AS one FROM plans p WHERE p.id = \(planID) AND (\(fragment: Self.planVisible(who)))").count == 1 else {
                    throw BatonError.notFound("plan \(planID.lower)")
                }
            }
            let defs = try conn.query("""
                SELECT key, name, unit, direction, target, baseline, reported_by FROM plan_indicators WHERE plan_id = \(planID) ORDER BY position
                """)
            let values = try conn.query("""
                SELECT r.key, r.period, count(*) AS reports,
                       sum(r.value) AS total, avg(r.value) AS mean,
                       CASE WHEN bool_and(r.denominator IS NOT NULL) THEN sum(r.numerator) / sum(r.denominator) * 100 END AS weighted
                FROM indicator_reports r JOIN plans d ON d.id = r.plan_id
                WHERE d.lineage @> ARRAY[\(planID)]::uuid[]
                GROUP BY r.key, r.period
                ORDER BY r.key, \(fragment: Self.periodOrder("r.period"))
                """)
            return try defs.map { d in
                let key = try d.decode(String.self, "key")
                let unit = try d.decode(String.self, "unit")
                let direction = try d.decode(String.self, "direction")
                let target = try d.decode(Double.self, "target")
                let baseline = try d.decode(Double?.self, "baseline")
                let rule = try Indicator(json: .object([
                    "key": .string(key), "name": .string("x"), "unit": .string(unit), "direction": .string(direction),
                    "target": .number(target), "baseline": baseline.map(JSONValue.number) ?? .null,
                ]), field: "indicator")
                let periods = try values.filter { try $0.decode(String.self, "key") == key }.map { v -> IndicatorStatus.Period in
                    let value = unit == "count" ? try v.decode(Double.self, "total")
                        : try v.decode(Double?.self, "weighted") ?? v.decode(Double.self, "mean")
                    return .init(period: try v.decode(String.self, "period"), value: value, reports: try v.decode(Int.self, "reports"),
                                 meetsTarget: rule.isMet(by: value))
                }
                return IndicatorStatus(key: key, name: try d.decode(String.self, "name"), unit: unit, direction: direction, target: target,
                                       baseline: baseline, reportedBy: try d.decode(String?.self, "reported_by").map { try JSONParser.parse($0) },
                                       periods: periods)
            }
        }
    }
}

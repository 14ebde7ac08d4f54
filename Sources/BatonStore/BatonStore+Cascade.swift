import BatonCore
import Foundation
import Postgres

/// A plan and the plans made under its tasks, at every depth.
public struct PlanTree: Sendable, JSONWritable {
    public let plan: PlanRecord
    public var children: [PlanTree]

    public func write(to w: inout JSONWriter) {
        w.openObject()
        w.field("plan", plan)
        w.field("children", children)
        w.closeObject()
    }
}

extension BatonStore {
    /// The cascade under a plan the caller sees: each sub-plan with its rolled-up progress.
    public func planTree(id: UUID, for who: Principal) async throws -> PlanTree {
        try await pool.withConnection { conn in
            guard try conn.query("SELECT 1 AS one FROM plans p WHERE p.id = \(id) AND (\(fragment: Self.planVisible(who)))").count == 1 else {
                throw BatonError.notFound("plan \(id.lower)")
            }
            let rows = try conn.query(Self.planSelect + """
                 WHERE p.lineage @> ARRAY[\(id)]::uuid[] AND (p.id = \(id) OR \(fragment: Self.planVisible(who)))
                ORDER BY cardinality(p.lineage), p.id
                """)
            let plans = try rows.map(Self.planRecord)
            func tree(_ plan: PlanRecord) -> PlanTree {
                PlanTree(plan: plan, children: plans.filter { $0.parentPlan == plan.id }.map(tree))
            }
            guard let root = plans.first(where: { $0.id == id }) else { throw BatonError.notFound("plan \(id.lower)") }
            return tree(root)
        }
    }
}

import BatonCore
import BatonStore
import BatonTestSupport
import Foundation
import Postgres
import Testing

/// `baton serve --read-database-url`: the board, statistics and lists are read on the second
/// database, everything else (tokens, a task, every change) on the primary. A second database
/// that holds the same agencies and people but none of the primary's plans tells which one answered.
@Suite struct ReadStandbyTests {
    @Test func listsAreReadOnTheStandbyAndTheRestOnThePrimary() async throws {
        let primary = try await TestCluster.freshDatabase(role: BatonStore.appRole)
        let other = try await TestCluster.freshDatabase(role: BatonStore.appRole)
        let setUp = BatonStore(pool: PostgresPool(configuration: other, size: 1))
        _ = try await World.make(setUp)
        await setUp.shutdown()
        let store = BatonStore(pool: PostgresPool(configuration: primary, size: 2), readPool: PostgresPool(configuration: other, size: 2))
        do {
            #expect(store.readsOnStandby)
            let w = try await World.make(store)
            let plan = try await w.plan()
            let task = try await w.task(plan)
            _ = try await store.transition(taskID: task.id, request: .init(name: "acknowledge"), ifMatch: nil, by: w.police)

            #expect(try await store.task(id: task.id, for: w.police).state == "acknowledged", "a task is read on the primary")
            #expect(try await store.plan(id: plan.id, for: w.chair).id == plan.id)
            let year = try ReportPeriod(period: "2030", from: nil, to: nil)
            // The same reads on the primary alone find the plan, its task and their counts.
            let direct = BatonStore(pool: PostgresPool(configuration: primary, size: 1))
            let found = (try await direct.tasks(TaskFilter(), for: w.chair, page: Page()).items.count,
                         try await direct.plans(for: w.chair, page: Page()).items.count,
                         try await direct.board(BoardFilter(), for: w.admin).rows.count,
                         try await direct.stats(period: year, plan: nil, under: nil, for: w.admin).rows.count)
            await direct.shutdown()
            #expect(found == (1, 1, 2, 2))
            #expect(try await store.tasks(TaskFilter(), for: w.chair, page: Page()).items.isEmpty, "the task list is read on the standby")
            #expect(try await store.plans(for: w.chair, page: Page()).items.isEmpty, "so is the plan list")
            #expect(try await store.board(BoardFilter(), for: w.admin).rows.isEmpty, "and the board")
            #expect(try await store.stats(period: year, plan: nil, under: nil, for: w.admin).rows.isEmpty, "and the statistics")
            #expect(try await store.agencies(kind: nil, parent: nil, query: nil, page: Page()).items.count == 7)
            #expect(await store.ping())
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
    }

    @Test func anUnreachableStandbyFailsItsReadsAloneAsUnavailable() async throws {
        let primary = try await TestCluster.freshDatabase(role: BatonStore.appRole)
        let cluster = try await TestCluster.cluster()
        let gone = PostgresConfiguration(connectionString: cluster.connectionURI(database: "no_such_standby", role: BatonStore.appRole))
        let store = BatonStore(pool: PostgresPool(configuration: primary, size: 2), readPool: PostgresPool(configuration: gone, size: 1))
        do {
            let w = try await World.make(store)
            let task = try await w.task(try await w.plan())
            _ = try await store.transition(taskID: task.id, request: .init(name: "acknowledge"), ifMatch: nil, by: w.police)
            do {
                _ = try await store.board(BoardFilter(), for: w.admin)
                Issue.record("the board was read somewhere other than the standby")
            } catch let e as BatonError {
                #expect(e.isUnavailable)
            }
            #expect(await store.ping() == false, "not ready while the standby is unreachable")
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
    }
}

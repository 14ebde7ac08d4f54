import Foundation
import Testing
@testable import BatonCore

@Suite("Visibility")
struct VisibilityTests {
    // Agencies by id: 1 = province, 2 = district under it, 3 = commune under the district, 9 = elsewhere.
    static let leadPath: [Int64] = [1, 2, 3]
    static let coopPaths: [[Int64]] = [[1, 2, 5]]

    typealias Role = Actor.UserRole
    static let cases: [(Int64?, Set<Role>, Bool)] = [
        (nil, [.admin], true),
        (9, [.admin], true),
        (3, [.officer], true),          // the lead agency
        (2, [.officer], true),          // above the lead in the tree
        (1, [.viewer], true),
        (5, [.officer], true),          // cooperating
        (9, [.officer], false),
        (4, [.viewer], false),          // a sibling
        (7, [.committee], true),        // issuer
        (8, [.committee], false),       // the monitor's committee does not see
        (8, [.coordinator], true),      // the monitor's coordinator does
        (7, [.coordinator], true),      // the issuer's coordinator
        (3, [.committee], false),       // the lead's committee, without the officer role
        (9, [.coordinator, .committee], false),
        (nil, [.officer, .viewer, .committee, .coordinator], false),
    ]

    @Test("who sees a task", arguments: cases)
    func canSee(agency: Int64?, roles: Set<Actor.UserRole>, visible: Bool) {
        let viewer = Viewer(agencyID: agency, roles: roles)
        #expect(viewer.canSee(.init(leadPath: Self.leadPath, cooperatorPaths: Self.coopPaths, overseers: [7], monitors: [8])) == visible)
    }

    @Test("a committee above a cascade sees the plans made under it")
    func cascade() {
        #expect(Viewer(agencyID: 5, roles: [.committee]).canSee(.init(leadPath: [1, 9], cooperatorPaths: [], overseers: [5, 7], monitors: [8])))
        #expect(Viewer(agencyID: 6, roles: [.coordinator]).canSee(.init(leadPath: [1, 9], cooperatorPaths: [], overseers: [7], monitors: [6, 8])))
        #expect(!Viewer(agencyID: 6, roles: [.committee]).canSee(.init(leadPath: [1, 9], cooperatorPaths: [], overseers: [7], monitors: [6, 8])))
    }

    @Test("a parent without a lead is seen through the plan only")
    func parentWithoutLead() {
        #expect(!Viewer(agencyID: 3, roles: [.officer]).canSee(.init(leadPath: nil, cooperatorPaths: [], overseers: [7], monitors: [])))
        #expect(Viewer(agencyID: 7, roles: [.committee]).canSee(.init(leadPath: nil, cooperatorPaths: [], overseers: [7], monitors: [])))
        #expect(!Viewer(agencyID: 8, roles: [.coordinator]).canSee(.init(leadPath: nil, cooperatorPaths: [], overseers: [7], monitors: [])))
    }
}

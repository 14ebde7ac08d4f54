import BatonCore
@testable import BatonStore
import Foundation
import Testing

/// The board lists the worst first: most overdue, then most not acknowledged, most open, then by agency code in
/// byte order — whatever order the rows were read in.
@Suite struct BoardOrderTests {
    static let asOf = ZonedTime(Date(timeIntervalSince1970: 1_790_000_000), TimeZone(identifier: "Asia/Ho_Chi_Minh")!)

    static func row(_ code: String, overdue: Int = 0, unacknowledged: Int = 0, open: Int = 0) -> Board.Row {
        Board.Row(agency: code, name: "Cơ quan \(code)", [.overdue: overdue, .unacknowledged: unacknowledged, .open: open])
    }

    static let ordered: [Board.Row] = [
        row("Z9", overdue: 5, open: 5),
        row("A1", overdue: 2, unacknowledged: 3, open: 9),
        row("B2", overdue: 2, unacknowledged: 3, open: 4),
        row("C3", overdue: 2, unacknowledged: 1, open: 40),
        row("Ab", overdue: 0, open: 3),
        row("Ad", overdue: 0, open: 3),
        row("a0", overdue: 0, open: 3),
        row("Đ1", overdue: 0, open: 3),
        row("M0", open: 1),
    ]

    /// A small seeded generator, so a failure happens again on the next run.
    struct Mix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state ^ (state >> 29)
        }
    }

    @Test("any order read comes out worst first", arguments: 0..<20)
    func worstFirst(seed: UInt64) {
        var g = Mix(state: seed)
        let read = seed == 0 ? Array(Self.ordered.reversed()) : Self.ordered.shuffled(using: &g)
        #expect(Board(asOf: Self.asOf, unordered: read).rows.map(\.agency) == Self.ordered.map(\.agency))
    }

    @Test("every report column knows its place among all the columns")
    func positions() {
        #expect(BoardColumn.allCases.map(\.position) == Array(BoardColumn.allCases.indices))
        #expect(StatsColumn.allCases.map(\.position) == Array(StatsColumn.allCases.indices))
    }
}

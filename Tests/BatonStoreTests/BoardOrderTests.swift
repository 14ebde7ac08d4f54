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

    @Test("any order read comes out worst first", arguments: 0..<20)
    func worstFirst(seed: Int) {
        var g = SystemRandomNumberGenerator()
        let shuffled = seed == 0 ? Self.ordered.reversed() : Self.ordered.shuffled(using: &g)
        let board = Board(asOf: Self.asOf, unordered: Array(shuffled))
        #expect(board.rows.map(\.agency) == Self.ordered.map(\.agency))
    }
}

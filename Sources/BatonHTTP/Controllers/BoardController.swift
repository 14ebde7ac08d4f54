import BatonCore
import BatonStore
import BatonWeb
import Hummingbird

/// The pending-by-agency board: `/v1/board` as JSON or CSV (`/board` is the page for people, in BatonWeb).
struct BoardController {
    let store: BatonStore

    func addRoutes(to routes: Routes) {
        routes.get("board") { request, context in
            let form = try request.reportForm()
            let filter = BoardFilter(plan: try Query.uuid(request, "plan"),
                                     kind: try request.query("kind").map { try Text.kind($0, field: "kind") },
                                     under: try Query.code(request, "under"))
            let board = try await store.board(filter, for: try context.caller())
            guard form.csv else { return try .json(board) }
            return .csv(CSV.document(header: form.headers(Board.Row.columns), rows: board.rows.map(\.fields)), filename: "board.csv")
        }
    }
}

import BatonStore
import Hummingbird

/// `/v1/me`: who the token belongs to.
struct MeController {
    func addRoutes(to routes: Routes) {
        routes.get("me") { _, context in
            let me = try context.caller()
            return try .json(UserRecord(login: me.login, agency: me.agency, agencyName: me.agencyName, roles: me.roles.map(\.rawValue).sorted()))
        }
    }
}

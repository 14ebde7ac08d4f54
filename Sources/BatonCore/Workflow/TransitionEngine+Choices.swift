import Foundation

extension TransitionEngine {
    /// The transitions `actor` may fire on `task` now, each as the rule that would apply, in the
    /// definition's order: what a page offers as buttons.
    ///
    /// `decide` itself answers, with a stand-in note and parameters: a transition is offered unless the
    /// engine refuses it for who the actor is or for the state the task is in (`forbidden`,
    /// `invalid_transition`); what the person then writes is checked when it is sent.
    public func choices(task: TaskState, parties: PlanParties, actor: Actor, now: Date) -> [WorkflowDefinition.Transition] {
        let held = Self.roles(of: actor, task: task, parties: parties)
        var seen = Set<String>()
        var offered: [WorkflowDefinition.Transition] = []
        for name in definition.transitions.map(\.name) where seen.insert(name).inserted {
            guard let rule = definition.transitions.first(where: { $0.name == name && !held.isDisjoint(with: $0.by) && $0.from.contains(task.state) }) else {
                continue
            }
            var params: [String: JSONValue] = [:]
            for p in rule.params {
                switch p.type {
                case .agency: params[p.name] = .string("?")
                case .text: params[p.name] = .string("?")
                case .due: params[p.name] = .object(["at": .string("2999-12-31T00:00:00Z")])
                }
            }
            do {
                _ = try decide(TransitionRequest(name: name, note: "?", params: params), task: task, parties: parties, actor: actor, now: now)
                offered.append(rule)
            } catch let error as BatonError where error.code == .validationFailed {
                offered.append(rule)
            } catch {
                continue
            }
        }
        return offered
    }
}

import Yams

/// A problem in a workflow file, with the file and line.
public struct WorkflowDefinitionError: Error, Sendable, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int
    public let message: String
    public var description: String { "\(file):\(line): \(message)" }
}

extension WorkflowDefinition {
    /// Parses and validates a workflow definition.
    ///
    /// Refuses: unknown keys, unknown states, unreachable states, transitions out of final
    /// states, ambiguous duplicates (same name, role and state), unknown roles, effects and
    /// parameter types. Every error carries `file` and the line.
    public init(yaml text: String, file: String) throws {
        func fail(_ line: Int, _ message: String) -> WorkflowDefinitionError {
            WorkflowDefinitionError(file: file, line: line, message: message)
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text, .basic) else { throw fail(1, "the file is empty") }
            root = node
        } catch let e as YamlError {
            throw fail(e.line ?? 0, "not valid YAML: \(e.shortDescription)")
        }
        guard let top = root.mapping else { throw fail(line(root), "the top level must be a mapping") }
        try Self.onlyKeys(top, ["name", "title", "initial", "states", "transitions", "settings"], fail)

        guard let name = top["name"]?.scalar?.string, name.wholeMatch(of: /[a-z][a-z0-9_]{0,39}/) != nil else {
            throw fail(line(top["name"] ?? root), "name must be lower_snake_case, e.g. task")
        }
        let title = top["title"]?.scalar?.string ?? name

        // States.
        guard let stateNodes = top["states"]?.sequence, !stateNodes.isEmpty else {
            throw fail(line(top["states"] ?? root), "states must list at least one state")
        }
        var states: [State] = []
        for node in stateNodes {
            guard let m = node.mapping else { throw fail(line(node), "a state must be a mapping with a name") }
            try Self.onlyKeys(m, ["name", "title", "title_en", "final"], fail)
            guard let n = m["name"]?.scalar?.string, n.wholeMatch(of: /[a-z][a-z0-9_]{0,39}/) != nil else {
                throw fail(line(node), "a state needs a lower_snake_case name")
            }
            if states.contains(where: { $0.name == n }) { throw fail(line(node), "state \(n) is listed twice") }
            let isFinal: Bool
            switch m["final"]?.scalar?.string {
            case nil, "false": isFinal = false
            case "true": isFinal = true
            case let other?: throw fail(line(m["final"]!), "final must be true or false, not \(other)")
            }
            states.append(State(name: n, title: m["title"]?.scalar?.string ?? n, titleEN: m["title_en"]?.scalar?.string, isFinal: isFinal))
        }
        let stateNames = Set(states.map(\.name))
        let openStates = states.filter { !$0.isFinal }.map(\.name)

        guard let initial = top["initial"]?.scalar?.string else { throw fail(line(root), "initial state is missing") }
        guard stateNames.contains(initial) else { throw fail(line(top["initial"]!), "initial state \(initial) is not among the states") }
        guard !(states.first { $0.name == initial }!.isFinal) else { throw fail(line(top["initial"]!), "the initial state cannot be final") }

        // Transitions.
        guard let transitionNodes = top["transitions"]?.sequence, !transitionNodes.isEmpty else {
            throw fail(line(top["transitions"] ?? root), "transitions must list at least one transition")
        }
        var transitions: [Transition] = []
        for node in transitionNodes {
            let at = line(node)
            guard let m = node.mapping else { throw fail(at, "a transition must be a mapping") }
            try Self.onlyKeys(m, ["name", "title", "title_en", "from", "to", "by", "note", "params", "effect"], fail)
            guard let tname = m["name"]?.scalar?.string, tname.wholeMatch(of: /[a-z][a-z0-9_]{0,39}/) != nil else {
                throw fail(at, "a transition needs a lower_snake_case name")
            }
            var from: [String]
            if let s = m["from"]?.scalar?.string {
                if s == "open" { from = openStates } else { from = [s] }
            } else if let seq = m["from"]?.sequence, !seq.isEmpty {
                from = try seq.map {
                    guard let s = $0.scalar?.string else { throw fail(line($0), "transition \(tname) lists something that is not a state in from") }
                    return s
                }
            } else {
                throw fail(at, "transition \(tname) needs from: a state, a list of states, or open")
            }
            for s in from where !stateNames.contains(s) { throw fail(line(m["from"]!), "transition \(tname) starts from unknown state \(s)") }
            for s in from where states.first(where: { $0.name == s })!.isFinal {
                throw fail(line(m["from"]!), "transition \(tname) leaves final state \(s); final states are final")
            }
            let to = m["to"]?.scalar?.string
            if let to, !stateNames.contains(to) { throw fail(line(m["to"]!), "transition \(tname) goes to unknown state \(to)") }
            var by: [Role] = []
            let byNodes = m["by"]?.sequence ?? (m["by"].map { [$0] } ?? [])
            for r in byNodes {
                guard let s = r.scalar?.string, let role = Role(rawValue: s) else {
                    throw fail(line(r), "unknown role \(r.scalar?.string ?? "?") in \(tname); roles are \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                by.append(role)
            }
            if by.isEmpty { throw fail(at, "transition \(tname) needs by: the roles that may fire it") }
            var noteRequired = false
            switch m["note"]?.scalar?.string {
            case nil, "optional": noteRequired = false
            case "required": noteRequired = true
            case let other?: throw fail(line(m["note"]!), "note must be required or optional, not \(other)")
            }
            var params: [Param] = []
            if let p = m["params"] {
                guard let pm = p.mapping else { throw fail(line(p), "params must map names to types") }
                for (k, v) in pm {
                    guard let pname = k.scalar?.string else { throw fail(line(k), "a parameter name must be plain text") }
                    var typeName = v.scalar?.string
                    var required = true
                    if let vm = v.mapping {
                        try Self.onlyKeys(vm, ["type", "required"], fail)
                        typeName = vm["type"]?.scalar?.string
                        switch vm["required"]?.scalar?.string {
                        case nil, "true": required = true
                        case "false": required = false
                        case let other?: throw fail(line(vm["required"]!), "parameter \(pname): required must be true or false, not \(other)")
                        }
                    }
                    guard let t = typeName.flatMap(ParamType.init(rawValue:)) else {
                        throw fail(line(v), "parameter \(pname) has unknown type \(typeName ?? "?"); types are \(ParamType.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    params.append(Param(name: pname, type: t, required: required))
                }
            }
            let effectName = m["effect"]?.scalar?.string ?? "none"
            guard let effect = Effect(rawValue: effectName) else {
                throw fail(line(m["effect"]!), "unknown effect \(effectName); effects are \(Effect.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            try Self.checkEffect(effect, name: tname, params: params, to: to, states: states, at: at, fail)
            let t = Transition(name: tname, title: m["title"]?.scalar?.string ?? tname, titleEN: m["title_en"]?.scalar?.string, from: from, to: to, by: by,
                               noteRequired: noteRequired, params: params, effect: effect, line: at)
            if let clash = transitions.first(where: { $0.name == tname && !Set($0.by).isDisjoint(with: by) && !Set($0.from).isDisjoint(with: from) }) {
                throw fail(at, "transition \(tname) is defined twice for the same role and state (first at line \(clash.line))")
            }
            transitions.append(t)
        }

        // Every state must be reachable from the initial one.
        var reached: Set<String> = [initial]
        var frontier = [initial]
        while let s = frontier.popLast() {
            for t in transitions where t.from.contains(s) {
                let next = t.to ?? s
                if reached.insert(next).inserted { frontier.append(next) }
            }
        }
        if let lost = states.first(where: { !reached.contains($0.name) }) {
            let at = stateNodes.first { $0.mapping?["name"]?.scalar?.string == lost.name }.map(line) ?? 0
            throw fail(at, "state \(lost.name) cannot be reached from \(initial)")
        }

        var settings = Settings()
        if let s = top["settings"] {
            guard let sm = s.mapping else { throw fail(line(s), "settings must be a mapping") }
            try Self.onlyKeys(sm, ["acknowledge_within", "remind_before", "escalate_after", "contributions_before_submit",
                                   "close_parent_when_children_closed"], fail)
            func flag(_ node: Node) throws -> Bool {
                switch node.scalar?.string {
                case "true": return true
                case "false": return false
                default: throw fail(line(node), "must be true or false")
                }
            }
            if let n = sm["contributions_before_submit"] { settings.contributionsBeforeSubmit = try flag(n) }
            if let n = sm["close_parent_when_children_closed"] { settings.closeParentWhenChildrenClosed = try flag(n) }
            func days(_ node: Node) throws -> Int {
                guard let v = node.scalar.flatMap({ Int($0.string) }), (1...366).contains(v) else {
                    throw fail(line(node), "must be a number of working days from 1 to 366")
                }
                return v
            }
            if let n = sm["acknowledge_within"] { settings.acknowledgeWithin = try days(n) }
            if let n = sm["escalate_after"] { settings.escalateAfter = try days(n) }
            if let n = sm["remind_before"] {
                guard let seq = n.sequence else { throw fail(line(n), "remind_before must list working days, e.g. [3, 1]") }
                settings.remindBefore = try seq.map(days).sorted(by: >)
            }
        }

        self.init(name: name, title: title, initial: initial, states: states, transitions: transitions, settings: settings)
    }

    private static func checkEffect(_ effect: Effect, name: String, params: [Param], to: String?, states: [State], at: Int,
                                    _ fail: (Int, String) -> WorkflowDefinitionError) throws {
        func needs(_ p: String, _ type: ParamType) throws {
            guard params.contains(where: { $0.name == p && $0.type == type && $0.required }) else {
                throw fail(at, "effect \(effect.rawValue) of \(name) needs a required parameter \(p) of type \(type.rawValue)")
            }
        }
        switch effect {
        case .moveLead, .requestHandoff: try needs("to", .agency)
        case .requestExtension: try needs("due", .due)
        case .close, .cancel:
            guard let to, states.first(where: { $0.name == to })?.isFinal == true else {
                throw fail(at, "effect \(effect.rawValue) of \(name) must go to a final state")
            }
        default: break
        }
    }

    private static func onlyKeys(_ m: Node.Mapping, _ allowed: Set<String>, _ fail: (Int, String) -> WorkflowDefinitionError) throws {
        for (k, _) in m {
            guard let s = k.scalar?.string, allowed.contains(s) else {
                throw fail(line(k), "unknown key \(k.scalar?.string ?? "?"); expected one of \(allowed.sorted().joined(separator: ", "))")
            }
        }
    }
}

private func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

extension WorkflowDefinition {
    /// The state diagram in Mermaid (`stateDiagram-v2`), one arrow per transition and role set.
    public var mermaid: String {
        var lines = ["stateDiagram-v2", "    [*] --> \(initial)"]
        for s in states where s.title != s.name {
            lines.append("    \(s.name) : \(s.title)")
        }
        for t in transitions {
            let roles = t.by.map(\.rawValue).joined(separator: ", ")
            for from in t.from {
                lines.append("    \(from) --> \(t.to ?? from) : \(t.name) (\(roles))")
            }
        }
        for s in states where s.isFinal {
            lines.append("    \(s.name) --> [*]")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

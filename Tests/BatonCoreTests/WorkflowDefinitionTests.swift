import Foundation
import Testing
@testable import BatonCore

@Suite("WorkflowDefinition")
struct WorkflowDefinitionTests {
    // MARK: the real task.yaml

    @Test("task.yaml parses: states")
    func taskStates() throws {
        let wf = try Fixture.task()
        #expect(wf.name == "task")
        #expect(wf.title == "Nhiệm vụ")
        #expect(wf.initial == "assigned")
        #expect(wf.states.map(\.name) == ["assigned", "acknowledged", "in_progress", "submitted", "closed", "cancelled"])
        #expect(wf.states.filter(\.isFinal).map(\.name) == ["closed", "cancelled"])
        #expect(wf.state("closed")?.title == "Hoàn thành")
        #expect(wf.isFinal("closed") && wf.isFinal("cancelled"))
        #expect(!wf.isFinal("assigned") && !wf.isFinal("submitted"))
        #expect(wf.isFinal("no_such_state"), "unknown states are closed to change")
        #expect(wf.state("nope") == nil)
    }

    @Test("task.yaml parses: transitions as API.md tabulates them")
    func taskTransitions() throws {
        let wf = try Fixture.task()
        #expect(wf.transitions.count == 18)
        #expect(wf.transitionNames == ["acknowledge", "start", "submit", "close", "return", "handoff", "approve_handoff",
                                       "reject_handoff", "request_extension", "approve_extension", "reject_extension",
                                       "remind", "contribute", "raise_difficulty", "answer_difficulty", "cancel"])
        func rules(_ name: String) -> [WorkflowDefinition.Transition] { wf.transitions.filter { $0.name == name } }
        let open = ["assigned", "acknowledged", "in_progress", "submitted"]

        let ack = rules("acknowledge")
        #expect(ack.count == 2)
        #expect(ack[0].from == ["assigned"] && ack[0].to == "acknowledged" && ack[0].by == [.leadOfficer] && ack[0].effect == .acknowledge)
        #expect(ack[1].from == open && ack[1].to == nil && ack[1].by == [.cooperatingOfficer] && ack[1].effect == .acknowledgePart)

        #expect(rules("start").map(\.from) == [["acknowledged"]])
        #expect(rules("start").first?.to == "in_progress")
        let submit = try #require(rules("submit").first)
        #expect(submit.from == ["in_progress"] && submit.to == "submitted" && submit.noteRequired && submit.by == [.leadOfficer])
        let close = try #require(rules("close").first)
        #expect(close.from == ["submitted"] && close.to == "closed" && close.by == [.issuerCommittee] && close.effect == .close)
        #expect(!close.noteRequired)
        let ret = try #require(rules("return").first)
        #expect(ret.from == ["submitted"] && ret.to == "in_progress" && ret.noteRequired && ret.by == [.issuerCommittee])

        let handoff = rules("handoff")
        #expect(handoff.count == 2)
        #expect(handoff[0].by == [.issuerCommittee] && handoff[0].to == "assigned" && handoff[0].effect == .moveLead)
        #expect(handoff[1].by == [.leadOfficer] && handoff[1].to == nil && handoff[1].effect == .requestHandoff)
        for h in handoff {
            #expect(h.from == ["assigned", "acknowledged", "in_progress"])
            #expect(h.params == [WorkflowDefinition.Param(name: "to", type: .agency, required: true)])
        }
        #expect(rules("approve_handoff").first?.to == "assigned")
        #expect(rules("reject_handoff").first?.from == open)

        let ext = try #require(rules("request_extension").first)
        #expect(ext.from == open && ext.to == nil && ext.by == [.leadOfficer])
        #expect(ext.params == [WorkflowDefinition.Param(name: "due", type: .due, required: true)])
        for name in ["approve_extension", "reject_extension"] {
            #expect(rules(name).first?.by == [.issuerCommittee])
            #expect(rules(name).first?.to == nil)
        }
        #expect(Set(rules("remind").first?.by ?? []) == [.coordinator, .issuerCommittee])
        let cancel = try #require(rules("cancel").first)
        #expect(cancel.from == open && cancel.to == "cancelled" && cancel.noteRequired && cancel.effect == .cancel)
        // Nothing leaves a final state.
        #expect(wf.transitions.allSatisfy { !$0.from.contains("closed") && !$0.from.contains("cancelled") })
    }

    @Test("task.yaml parses: settings and line numbers")
    func taskSettings() throws {
        let wf = try Fixture.task()
        #expect(wf.settings.acknowledgeWithin == 2)
        #expect(wf.settings.remindBefore == [3, 1])
        #expect(wf.settings.escalateAfter == 3)
        let text = try Fixture.text("workflows/task.yaml").split(separator: "\n", omittingEmptySubsequences: false)
        for t in wf.transitions {
            #expect(text[t.line - 1].contains("- name: \(t.name)"), "line \(t.line) of task.yaml is where \(t.name) is written")
        }
    }

    @Test("Mermaid output has the expected arrows")
    func mermaid() throws {
        let m = try Fixture.task().mermaid
        #expect(m.hasPrefix("stateDiagram-v2\n"))
        #expect(m.hasSuffix("\n"))
        for line in [
            "    [*] --> assigned",
            "    closed : Hoàn thành",
            "    assigned --> acknowledged : acknowledge (lead_officer)",
            "    submitted --> submitted : acknowledge (cooperating_officer)",
            "    acknowledged --> in_progress : start (lead_officer)",
            "    in_progress --> submitted : submit (lead_officer)",
            "    submitted --> closed : close (issuer_committee)",
            "    submitted --> in_progress : return (issuer_committee)",
            "    in_progress --> assigned : handoff (issuer_committee)",
            "    in_progress --> in_progress : handoff (lead_officer)",
            "    acknowledged --> assigned : approve_handoff (issuer_committee)",
            "    assigned --> assigned : remind (coordinator, issuer_committee)",
            "    submitted --> cancelled : cancel (issuer_committee)",
            "    assigned --> cancelled : cancel (issuer_committee)",
            "    closed --> [*]",
            "    cancelled --> [*]",
        ] {
            #expect(m.split(separator: "\n").contains(Substring(line)), "missing: \(line)")
        }
        #expect(!m.contains("closed -->  ") && !m.contains("closed --> closed"))
        #expect(!m.contains("cancelled --> cancelled"))
    }

    @Test("a minimal workflow gets defaults")
    func minimal() throws {
        let wf = try WorkflowDefinition(yaml: Self.valid, file: "mini.yaml")
        #expect(wf.title == "mini")
        #expect(wf.state("draft")?.title == "draft")
        #expect(wf.transitions.first?.title == "finish")
        #expect(wf.transitions.first?.effect == WorkflowDefinition.Effect.none)
        #expect(wf.transitions.first?.line == 7)
        #expect(wf.settings == WorkflowDefinition.Settings())
        #expect(wf.mermaid == """
            stateDiagram-v2
                [*] --> draft
                draft --> done : finish (lead_officer)
                done --> [*]

            """)
    }

    @Test("params in long form, optional; settings sorted")
    func longFormParams() throws {
        let wf = try WorkflowDefinition(yaml: """
            name: mini
            initial: draft
            states: [{name: draft}, {name: done, final: true}]
            transitions:
              - name: finish
                from: draft
                to: done
                by: lead_officer
                note: optional
                params: {reason: {type: text, required: false}, to: agency}
            settings: {acknowledge_within: 5, remind_before: [1, 7, 3], escalate_after: 10}
            """, file: "mini.yaml")
        let t = try #require(wf.transitions.first)
        #expect(t.from == ["draft"] && t.by == [.leadOfficer] && !t.noteRequired)
        #expect(Set(t.params) == [.init(name: "reason", type: .text, required: false), .init(name: "to", type: .agency, required: true)])
        #expect(wf.settings.acknowledgeWithin == 5 && wf.settings.escalateAfter == 10)
        #expect(wf.settings.remindBefore == [7, 3, 1])
    }

    // MARK: validation errors, with their lines

    static let valid = """
        name: mini
        initial: draft
        states:
          - {name: draft}
          - {name: done, final: true}
        transitions:
          - name: finish
            from: [draft]
            to: done
            by: [lead_officer]
        """

    /// A small valid workflow (draft → done by `finish`) followed by `more` transitions.
    static func mini(_ more: String) -> String {
        """
        name: mini
        initial: draft
        states: [{name: draft}, {name: done, final: true}]
        transitions:
          - name: finish
            from: [draft]
            to: done
            by: [lead_officer]

        """ + more
    }

    /// (what, YAML, line, a word the message must contain)
    static let invalid: [(String, String, Int, String)] = [
        ("a parameter required neither true nor false", mini("""
              - name: request_extension
                from: open
                by: [lead_officer]
                params: {due: {type: due, required: maybe}}
                effect: request_extension
            """), 12, "required must be true or false"),
        ("an unknown key in a parameter", mini("""
              - name: request_extension
                from: open
                by: [lead_officer]
                params: {due: {type: due, optional: true}}
                effect: request_extension
            """), 12, "unknown key optional"),
        ("an empty from list", mini("""
              - name: cancel
                from: []
                by: [issuer_committee]
                effect: cancel
            """), 9, "needs from"),
        ("broken YAML says its line", "name: mini\ninitial: draft\nstates: [{name: draft}\n", 4, "not valid YAML"),
        ("unknown top-level key", """
            name: mini
            initial: draft
            colour: red
            states: [{name: draft}]
            transitions: [{name: x, from: draft, by: [lead_officer]}]
            """, 3, "unknown key colour"),
        ("unknown key in a state", """
            name: mini
            initial: draft
            states:
              - name: draft
                colour: red
            transitions: [{name: x, from: draft, by: [lead_officer]}]
            """, 5, "unknown key colour"),
        ("unknown key in a transition", """
            name: mini
            initial: draft
            states: [{name: draft}, {name: done, final: true}]
            transitions:
              - name: finish
                from: [draft]
                to: done
                notes: required
                by: [lead_officer]
            """, 8, "unknown key notes"),
        ("unknown key in settings", """
            name: mini
            initial: draft
            states: [{name: draft}]
            transitions: [{name: x, from: draft, by: [lead_officer]}]
            settings:
              acknowledge_within: 2
              remind: 3
            """, 7, "unknown key remind"),
        ("unknown from state", """
            name: mini
            initial: draft
            states: [{name: draft}, {name: done, final: true}]
            transitions:
              - name: finish
                from: [drafty]
                to: done
                by: [lead_officer]
            """, 6, "unknown state drafty"),
        ("unknown to state", """
            name: mini
            initial: draft
            states: [{name: draft}, {name: done, final: true}]
            transitions:
              - name: finish
                from: [draft]
                to: finished
                by: [lead_officer]
            """, 7, "unknown state finished"),
        ("unknown initial state", """
            name: mini
            initial: start
            states: [{name: draft}]
            transitions: [{name: x, from: draft, by: [lead_officer]}]
            """, 2, "initial state start"),
        ("final initial state", """
            name: mini
            initial: done
            states: [{name: draft}, {name: done, final: true}]
            transitions: [{name: x, from: draft, to: done, by: [lead_officer]}]
            """, 2, "cannot be final"),
        ("unreachable state", """
            name: mini
            initial: draft
            states:
              - {name: draft}
              - {name: limbo}
              - {name: done, final: true}
            transitions:
              - name: finish
                from: [draft]
                to: done
                by: [lead_officer]
            """, 5, "limbo cannot be reached"),
        ("transition out of a final state", mini("""
              - name: reopen
                from: [done]
                to: draft
                by: [issuer_committee]
            """), 10, "final states are final"),
        ("duplicate name for the same role and state", """
            name: mini
            initial: draft
            states: [{name: draft}, {name: review}, {name: done, final: true}]
            transitions:
              - name: finish
                from: [draft, review]
                to: done
                by: [lead_officer, issuer_committee]
              - name: send
                from: [draft]
                to: review
                by: [lead_officer]
              - name: finish
                from: [review]
                to: done
                by: [issuer_committee]
            """, 13, "first at line 5"),
        ("unknown role", """
            name: mini
            initial: draft
            states: [{name: draft}, {name: done, final: true}]
            transitions:
              - name: finish
                from: [draft]
                to: done
                by:
                  - lead_officer
                  - boss
            """, 10, "unknown role boss"),
        ("no roles", """
            name: mini
            initial: draft
            states: [{name: draft}, {name: done, final: true}]
            transitions:
              - name: finish
                from: [draft]
                to: done
                by: []
            """, 5, "needs by"),
        ("unknown effect", mini("""
                effect: explode
            """), 9, "unknown effect explode"),
        ("unknown param type", mini("""
                params:
                  place: town
            """), 10, "unknown type town"),
        ("close not to a final state", """
            name: mini
            initial: draft
            states: [{name: draft}, {name: review}, {name: done, final: true}]
            transitions:
              - name: finish
                from: [draft]
                to: done
                by: [lead_officer]
              - name: close
                from: [draft]
                to: review
                by: [issuer_committee]
                effect: close
            """, 9, "must go to a final state"),
        ("cancel without a state to go to", mini("""
              - name: cancel
                from: open
                by: [issuer_committee]
                effect: cancel
            """), 9, "must go to a final state"),
        ("move_lead without to: agency", mini("""
              - name: handoff
                from: [draft]
                by: [issuer_committee]
                effect: move_lead
            """), 9, "needs a required parameter to of type agency"),
        ("move_lead with to of the wrong type", mini("""
              - name: handoff
                from: [draft]
                by: [issuer_committee]
                params: {to: text}
                effect: move_lead
            """), 9, "needs a required parameter to of type agency"),
        ("request_extension without due", mini("""
              - name: request_extension
                from: open
                by: [lead_officer]
                params: {due: {type: due, required: false}}
                effect: request_extension
            """), 9, "parameter due of type due"),
        ("state listed twice", """
            name: mini
            initial: draft
            states:
              - {name: draft}
              - {name: draft}
            transitions: [{name: x, from: draft, by: [lead_officer]}]
            """, 5, "listed twice"),
        ("final must be true or false", """
            name: mini
            initial: draft
            states:
              - {name: draft}
              - {name: done, final: yes}
            transitions: [{name: x, from: draft, to: done, by: [lead_officer]}]
            """, 5, "final must be true or false"),
        ("note must be required or optional", mini("""
                note: maybe
            """), 9, "note must be required or optional"),
        ("bad settings value", """
            name: mini
            initial: draft
            states: [{name: draft}]
            transitions: [{name: x, from: draft, by: [lead_officer]}]
            settings:
              remind_before: [3, 0]
            """, 6, "from 1 to 366"),
        ("bad name", """
            name: Task-Flow
            initial: draft
            states: [{name: draft}]
            transitions: [{name: x, from: draft, by: [lead_officer]}]
            """, 1, "lower_snake_case"),
        ("transition without from", """
            name: mini
            initial: draft
            states: [{name: draft}]
            transitions:
              - name: x
                by: [lead_officer]
            """, 5, "needs from"),
        ("no states", """
            name: mini
            initial: draft
            states: []
            transitions: [{name: x, from: draft, by: [lead_officer]}]
            """, 3, "at least one state"),
        ("no transitions", """
            name: mini
            initial: draft
            states: [{name: draft}]
            transitions: []
            """, 4, "at least one transition"),
    ]

    @Test("each validation error carries the file and the right line", arguments: invalid)
    func rejects(what: String, yaml: String, line: Int, words: String) {
        do {
            let wf = try WorkflowDefinition(yaml: yaml, file: "bad.yaml")
            Issue.record("\(what): accepted \(wf.name)")
        } catch let e as WorkflowDefinitionError {
            #expect(e.file == "bad.yaml")
            #expect(e.line == line, "\(what): \(e)")
            #expect(e.message.contains(words), "\(what): \(e.message)")
            #expect(e.description == "bad.yaml:\(e.line): \(e.message)")
        } catch {
            Issue.record("\(what): unexpected \(error)")
        }
    }

    @Test("the same name for different roles or disjoint states is not a clash")
    func notAClash() throws {
        let wf = try WorkflowDefinition(yaml: """
            name: mini
            initial: draft
            states: [{name: draft}, {name: review}, {name: done, final: true}]
            transitions:
              - {name: send, from: [draft], to: review, by: [lead_officer]}
              - {name: finish, from: [draft], to: done, by: [lead_officer]}
              - {name: finish, from: [review], to: done, by: [lead_officer]}
              - {name: finish, from: [draft], to: done, by: [issuer_committee]}
            """, file: "ok.yaml")
        #expect(wf.transitions.filter { $0.name == "finish" }.count == 3)
    }

    @Test("empty files, other top levels and broken YAML are refused")
    func notADefinition() {
        for (yaml, fragment) in [("", "empty"), ("- a\n- b\n", "mapping"), ("name: [x\n", "not valid YAML")] {
            do {
                _ = try WorkflowDefinition(yaml: yaml, file: "f.yaml")
                Issue.record("accepted \(yaml.debugDescription)")
            } catch let e as WorkflowDefinitionError {
                #expect(e.message.contains(fragment), "\(e)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }
}

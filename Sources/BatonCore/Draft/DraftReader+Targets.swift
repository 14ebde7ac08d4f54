import Foundation

/// Targets: "70% …", "Mỗi … ", "tỷ lệ … đạt 100%", "kéo giảm 10% …" into indicators.
extension DraftReader {
    /// "70% học sinh …", "Mỗi đơn vị …" (every one: 100%), "… tỷ lệ giải quyết đạt 100%",
    /// "Kéo giảm 10% số vụ …" (reduce_by; its baseline is for the reviewer).
    mutating func readTargets(_ nodes: [PlanOutline.Node]) {
        for n in nodes {
            readTargets(n.children)
            guard n.marker == .dash || n.marker == .plus || n.marker == .none else { continue }
            let text = n.text
            var found: [(String, Indicator.Direction, Double)] = []
            if let m = text.firstMatch(of: /^(\d{1,3})\s*%\s*(.+)$/), let v = Double(m.output.1) {
                found.append((String(m.output.2), .atLeast, v))
            } else if let m = text.firstMatch(of: /^(?:[Mm]ỗi|[Tt]ất cả)\s+(.+)$/) {
                found.append((String(m.output.1), .atLeast, 100))
            } else if let m = text.firstMatch(of: /^(?:[Kk]éo\s+)?[Gg]iảm\s+(\d{1,3})\s*%\s*(.+)$/), let v = Double(m.output.1) {
                found.append((String(m.output.2), .reduceBy, v))
            }
            for m in text.matches(of: /([Tt]ỷ lệ|[Tt]ỉ lệ)\s+([^,;.%]{3,80}?)\s+đạt\s+(\d{1,3})\s*%/) {
                if let v = Double(m.output.3) { found.append(("Tỷ lệ " + m.output.2, .atLeast, v)) }
            }
            for (name, direction, target) in found where target <= 100 {
                var clean = name
                if let cut = clean.firstIndex(where: { $0 == ";" || $0 == "." }) { clean = String(clean[..<cut]) }
                if let cut = clean.range(of: ", trong đó") { clean = String(clean[..<cut.lowerBound]) }
                clean = clean.trimmingCharacters(in: .whitespaces)
                guard !clean.isEmpty else { continue }
                clean = clean.prefix(1).uppercased() + clean.dropFirst()
                var key = Self.slug(clean, words: 4)
                let existing = Set(draft.indicators.map(\.key))
                if existing.contains(key) {
                    var k = 2
                    while existing.contains("\(key)-\(k)") { k += 1 }
                    key = "\(key)-\(k)"
                }
                draft.indicators.append(PlanDraft.Target(key: key, name: String(clean.prefix(1_000)), unit: direction == .reduceBy ? .count : .percent,
                                                         direction: direction,
                                                         target: target, line: n.line))
                if direction == .reduceBy {
                    draft.review.append(ReviewItem(line: n.line, kind: .indicator, text: text,
                                                   message: "a reduction target needs its baseline (the figure it reduces from); add baseline to \(key)"))
                }
            }
        }
    }
}

import Foundation

/// A plan's text as numbered paragraphs in a tree: "I." sections, "1." items, "a)" points,
/// "-" and "+" bullets, and plain paragraphs, each with the line of the source it starts on.
public struct PlanOutline: Sendable {
    /// How a paragraph is numbered, from the outermost level in.
    public enum Marker: Int, Sendable, Hashable, Comparable {
        case roman = 1, number, subnumber, letter, dash, plus, none
        public static func < (a: Marker, b: Marker) -> Bool { a.rawValue < b.rawValue }
    }

    /// A paragraph with the paragraphs below it.
    public struct Node: Sendable, Hashable {
        public let line: Int
        public let marker: Marker
        /// The text without its number or bullet.
        public let text: String
        public var children: [Node] = []
    }

    /// Every paragraph, in order, before it is put in a tree.
    public let paragraphs: [Node]

    /// Splits normalised text into paragraphs: a line wrapped at the page margin (as PDF text is)
    /// is joined to the next; a line that ends a sentence, or a short one, ends its paragraph.
    public init(text: String) {
        var lines: [String] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            // A header laid out in two columns ("Số: 12/KH-UBND      Bình Minh, ngày …") is two lines.
            let columns = raw.split(separator: Self.columnGap).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let parts = i < 25 && columns.count > 1 && columns.allSatisfy({ $0.count >= 8 }) ? columns.map { Substring($0) } : [raw]
            for part in parts { lines.append(part.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")) }
        }
        let lengths = lines.map(\.count).filter { $0 > 0 }.sorted()
        let width = lengths.isEmpty ? 0 : lengths[min(lengths.count - 1, lengths.count * 9 / 10)]
        let wrapped = width >= 50 && width <= 130
        var out: [(line: Int, text: String)] = []
        var open = false
        var previous = ""
        for (i, line) in lines.enumerated() where !line.isEmpty {
            // In wrapped text a paragraph goes on past the margin; a list item after a short line, or
            // a new section, starts afresh; a line that begins in lower case always continues.
            let continues = wrapped && !Self.startsBlock(line) && !out.isEmpty
                && ((open && (!Self.startsItem(line) || previous.count * 100 >= width * 85 && previous.last != ":"))
                    || (line.first?.isLowercase == true && !Self.isDateLine(out[out.count - 1].text)))
            if continues {
                out[out.count - 1].text += " " + line
            } else {
                out.append((i + 1, line))
            }
            let current = out[out.count - 1].text
            // A line that reaches the margin and ends in ":" goes on ("… của nhà trường về:" / "Chính sách …").
            open = wrapped && (!Self.endsSentence(current) && line.count * 10 >= width * 6 || current.last == ":" && line.count * 100 >= width * 80)
                && !Self.isDateLine(current)
            previous = line
        }
        paragraphs = out.map { Self.node(line: $0.line, text: $0.text) }
    }

    // Compiled once: a regex literal is parsed each time it is evaluated.
    nonisolated(unsafe) static let columnGap = /\s{5,}/
    nonisolated(unsafe) static let romanStart = /^(?:[IVX]{1,5})\.\s/
    nonisolated(unsafe) static let itemStart = /^(?:[-+•*]\s|\d{1,2}\.\s|[a-zđ]\)\s)/
    nonisolated(unsafe) static let dateWords = /ngay .*thang .*nam \d{4}/
    nonisolated(unsafe) static let roman = /^(?:[IVX]{1,5})\.\s+(.*)$/
    nonisolated(unsafe) static let subnumber = /^\d{1,2}\.\d{1,2}\.?\s+(.*)$/
    nonisolated(unsafe) static let number = /^\d{1,2}\.\s+(.*)$/
    nonisolated(unsafe) static let letter = /^[a-zđ]\)\s+(.*)$/
    nonisolated(unsafe) static let dash = /^[-•*]\s*(.*)$/
    nonisolated(unsafe) static let plus = /^\+\s*(.*)$/

    static func endsSentence(_ s: String) -> Bool {
        guard let c = s.last else { return true }
        return ".;:!?".contains(c)
    }

    static func startsBlock(_ s: String) -> Bool {
        let folded = VietnameseText.foldWord(s.prefix(12))
        return s.firstMatch(of: Self.romanStart) != nil || folded.hasPrefix("kinh gui") || folded.hasPrefix("noi nhan")
    }

    static func startsItem(_ s: String) -> Bool {
        s.firstMatch(of: Self.itemStart) != nil
    }

    static func isDateLine(_ s: String) -> Bool {
        s.count < 90 && VietnameseText.tokens(s).joined(separator: " ").firstMatch(of: Self.dateWords) != nil
    }

    static func node(line: Int, text: String) -> Node {
        if let m = text.firstMatch(of: Self.roman) { return Node(line: line, marker: .roman, text: String(m.output.1)) }
        if let m = text.firstMatch(of: Self.subnumber) { return Node(line: line, marker: .subnumber, text: String(m.output.1)) }
        if let m = text.firstMatch(of: Self.number) { return Node(line: line, marker: .number, text: String(m.output.1)) }
        if let m = text.firstMatch(of: Self.letter) { return Node(line: line, marker: .letter, text: String(m.output.1)) }
        if let m = text.firstMatch(of: Self.dash) { return Node(line: line, marker: .dash, text: String(m.output.1)) }
        if let m = text.firstMatch(of: Self.plus) { return Node(line: line, marker: .plus, text: String(m.output.1)) }
        // A short line ending in ":" ("Công an huyện:", a bold heading in Word) heads what follows.
        if text.last == ":", text.split(separator: " ").count <= 12 { return Node(line: line, marker: .letter, text: text) }
        return Node(line: line, marker: .none, text: text)
    }

    /// These paragraphs as a tree: each numbered paragraph holds what follows it at deeper levels;
    /// a plain paragraph belongs to the numbered one before it.
    public static func tree(_ paragraphs: some Collection<Node>) -> [Node] {
        var roots: [Node] = []
        var stack: [Node] = []
        func close(to marker: Marker) {
            while let top = stack.last, top.marker >= marker {
                stack.removeLast()
                if stack.isEmpty { roots.append(top) } else { stack[stack.count - 1].children.append(top) }
            }
        }
        for p in paragraphs {
            if p.marker == .none {
                if stack.isEmpty { roots.append(p) } else { stack[stack.count - 1].children.append(p) }
                continue
            }
            close(to: p.marker)
            stack.append(p)
        }
        close(to: .roman)
        return roots
    }

    /// Sentences of a paragraph: split after `.`, `!` or `?` followed by a space and a capital.
    public static func sentences(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            current.append(chars[i])
            if ".!?".contains(chars[i]), i + 2 < chars.count, chars[i + 1] == " ", chars[i + 2].isUppercase {
                out.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            }
            i += 1
        }
        let last = current.trimmingCharacters(in: .whitespaces)
        if !last.isEmpty { out.append(last) }
        return out
    }
}

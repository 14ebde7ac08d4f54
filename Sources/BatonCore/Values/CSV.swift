/// RFC 4180 CSV: what `baton agency import` reads and the board and statistics write.
public enum CSV {
    /// Splits CSV text into rows of fields (quoted fields may hold commas, quotes and new lines).
    /// A UTF-8 byte-order mark at the start is ignored.
    public static func parse(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var afterQuote = false
        var line = 1
        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var it = scalars.makeIterator()
        var pending: Unicode.Scalar? = it.next()
        func endField() { row.append(field); field = ""; afterQuote = false }
        func endRow() {
            endField()
            if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
            row = []
        }
        while let c = pending {
            pending = it.next()
            if inQuotes {
                if c == "\"" {
                    if pending == "\"" { field.unicodeScalars.append("\""); pending = it.next() }
                    else { inQuotes = false; afterQuote = true }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case ",": endField()
            case "\r":
                if pending == "\n" { pending = it.next() }
                endRow(); line += 1
            case "\n": endRow(); line += 1
            case "\"":
                guard field.isEmpty && !afterQuote else {
                    throw BatonError(.malformed, "CSV line \(line): a quote inside an unquoted field")
                }
                inQuotes = true
            default:
                if afterQuote { throw BatonError(.malformed, "CSV line \(line): text after a closing quote") }
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw BatonError(.malformed, "CSV line \(line): a quoted field is not closed") }
        if !field.isEmpty || !row.isEmpty || afterQuote { endRow() }
        return rows
    }

    /// One CSV line (CRLF-terminated), quoting fields that need it.
    public static func line(_ fields: [String]) -> String {
        fields.map { f in
            // By scalar: "\r\n" is one Character, equal to neither "\r" nor "\n".
            f.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",") + "\r\n"
    }

    /// A whole document with a UTF-8 byte-order mark, so spreadsheet programs read Vietnamese correctly.
    public static func document(header: [String], rows: [[String]]) -> String {
        "\u{FEFF}" + line(header) + rows.map(line).joined()
    }
}

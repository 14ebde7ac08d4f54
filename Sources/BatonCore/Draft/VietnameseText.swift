import Foundation

/// Text as Vietnamese plans write it: normalised for reading, folded for matching.
public enum VietnameseText {
    /// NFC, one form of dash, quote and space, no Markdown emphasis, no byte-order mark.
    public static func normalize(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for u in text.precomposedStringWithCanonicalMapping.unicodeScalars {
            switch u {
            case "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2015}", "\u{2212}": out.append("-")
            case "\u{2018}", "\u{2019}", "\u{201A}", "\u{2032}": out.append("'")
            case "\u{201C}", "\u{201D}", "\u{201E}", "\u{2033}": out.append("\"")
            case "\u{00A0}", "\u{2002}", "\u{2003}", "\u{2009}", "\u{202F}", "\t": out.append(" ")
            case "\u{FEFF}", "\u{200B}", "\u{00AD}": continue
            case "\r": out.append("\n")
            case "\u{2026}": out.append(contentsOf: "...".unicodeScalars)
            default: out.append(u)
            }
        }
        return String(out).replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "\n\n\n", with: "\n\n")
    }

    /// Lower case without diacritics (đ → d): "Tòa án" and "Toà án" and "toa an" fold alike.
    public static func foldWord(_ word: some StringProtocol) -> String {
        var out = String.UnicodeScalarView()
        for u in word.unicodeScalars {
            if u.isASCII {
                out.append((65...90).contains(u.value) ? Unicode.Scalar(u.value + 32)! : u)
            } else if let base = foldTable[u.value] {
                out.append(base)
            } else if !(0x0300...0x036F).contains(u.value) {
                out.append(contentsOf: String(u).lowercased().unicodeScalars)
            }
        }
        return String(out)
    }

    /// Latin letters with marks → their lower-case base letter, worked out once.
    static let foldTable: [UInt32: Unicode.Scalar] = {
        var table: [UInt32: Unicode.Scalar] = [0x0110: "d", 0x0111: "d"]
        for range in [0x00C0...0x024F, 0x1E00...0x1EFF] {
            for v in range where table[UInt32(v)] == nil {
                guard let u = Unicode.Scalar(v), let base = String(u).lowercased().decomposedStringWithCanonicalMapping.unicodeScalars.first,
                      base.isASCII else { continue }
                table[UInt32(v)] = base
            }
        }
        return table
    }()

    /// Folded words, with `,` `;` `:` `.` `(` `)` kept as tokens of their own, `&` read as "và",
    /// and the abbreviations plans use spelled out (GD&ĐT, LĐ-TB&XH, UBND, VKSND, THPT …).
    public static func tokens(_ text: String) -> [String] {
        var raw: [String] = []
        var word = ""
        func flush() { if !word.isEmpty { raw.append(foldWord(word)); word = "" } }
        for ch in text {
            if ch.isLetter || ch.isNumber || ch == "/" {
                word.append(ch)
            } else if ch == "," || ch == ";" || ch == ":" || ch == "." || ch == "(" || ch == ")" {
                flush(); raw.append(String(ch))
            } else if ch == "&" {
                flush(); raw.append("va")
            } else {
                flush()
            }
        }
        flush()
        return expand(raw)
    }

    /// The abbreviations of the genre, as folded word sequences and what they stand for.
    static let abbreviations: [([String], [String])] = [
        (["gd", "va", "dt"], ["giao", "duc", "va", "dao", "tao"]),
        (["gddt"], ["giao", "duc", "va", "dao", "tao"]),
        (["ld", "tb", "va", "xh"], ["lao", "dong", "thuong", "binh", "va", "xa", "hoi"]),
        (["ldtbxh"], ["lao", "dong", "thuong", "binh", "va", "xa", "hoi"]),
        (["ld", "tbxh"], ["lao", "dong", "thuong", "binh", "va", "xa", "hoi"]),
        (["tc", "kh"], ["tai", "chinh", "ke", "hoach"]),
        (["vh", "va", "tt"], ["van", "hoa", "va", "thong", "tin"]),
        (["vksnd"], ["vien", "kiem", "sat", "nhan", "dan"]),
        (["vks"], ["vien", "kiem", "sat"]),
        (["tand"], ["toa", "an", "nhan", "dan"]),
        (["ubmttqvn"], ["uy", "ban", "mat", "tran", "to", "quoc", "viet", "nam"]),
        (["ubmttq"], ["uy", "ban", "mat", "tran", "to", "quoc"]),
        (["mttq"], ["mat", "tran", "to", "quoc"]),
        (["ubnd"], ["uy", "ban", "nhan", "dan"]),
        (["hdnd"], ["hoi", "dong", "nhan", "dan"]),
        (["thpt"], ["trung", "hoc", "pho", "thong"]),
        (["thcs"], ["trung", "hoc", "co", "so"]),
        (["bcd"], ["ban", "chi", "dao"]),
        (["tncs"], ["thanh", "nien", "cong", "san"]),
        (["huyen", "doan"], ["doan", "thanh", "nien", "cong", "san", "ho", "chi", "minh", "huyen"]),
        (["tinh", "doan"], ["doan", "thanh", "nien", "cong", "san", "ho", "chi", "minh", "tinh"]),
        (["lhpn"], ["lien", "hiep", "phu", "nu"]),
        (["tx"], ["thi", "xa"]),
        (["tp"], ["thanh", "pho"]),
    ]

    static func expand(_ words: [String]) -> [String] {
        var out: [String] = []
        out.reserveCapacity(words.count)
        var i = 0
        outer: while i < words.count {
            for (short, long) in abbreviations where words[i] == short[0] && i + short.count <= words.count {
                if Array(words[i..<(i + short.count)]) == short {
                    out.append(contentsOf: long)
                    i += short.count
                    continue outer
                }
            }
            out.append(words[i])
            i += 1
        }
        return out
    }

    /// Words common in Vietnamese prose; a text with few of them is in another language.
    static let commonWords: Set<String> = ["va", "cua", "cac", "duoc", "thuc", "hien", "trong", "cho", "voi", "ve", "nhung",
                                          "ke", "hoach", "cong", "tac", "phong", "chong", "tre", "em", "ngay", "nam", "theo",
                                          "khong", "co", "de", "tren", "nhiem", "vu", "don", "vi", "to", "chuc"]

    /// Letters only Vietnamese writes: ă â đ ê ô ơ ư and the vowels with a tone mark (U+1EA0–U+1EF9).
    static func isVietnameseLetter(_ u: Unicode.Scalar) -> Bool {
        (0x1EA0...0x1EF9).contains(u.value) || [0x0103, 0x0102, 0x0111, 0x0110, 0x01A1, 0x01A0, 0x01B0, 0x01AF, 0x00E2, 0x00EA, 0x00F4].contains(u.value)
    }

    /// Whether the text reads as Vietnamese: enough common words and letters with Vietnamese marks.
    public static func looksVietnamese(_ text: String) -> Bool {
        var words = 0, common = 0, marked = 0
        for w in text.split(whereSeparator: { !$0.isLetter }).prefix(5_000) {
            words += 1
            if commonWords.contains(foldWord(w)) { common += 1 }
            if w.unicodeScalars.contains(where: Self.isVietnameseLetter) { marked += 1 }
        }
        guard words >= 3 else { return false }
        return Double(common) / Double(words) >= 0.08 && Double(marked) / Double(words) >= 0.15
    }
}

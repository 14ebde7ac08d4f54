import Foundation

/// The fields of a posted form: `application/x-www-form-urlencoded`, or `multipart/form-data` with
/// its files. Read once, here, for every page.
struct Form: Sendable {
    /// Values by name, in the order given (a name may repeat: check boxes).
    private(set) var values: [String: [String]] = [:]
    /// Uploaded files by field name.
    private(set) var files: [String: (filename: String, data: Data)] = [:]

    init(values: [String: [String]] = [:]) { self.values = values }

    /// The first value of `name`, trimmed; nil when absent or blank.
    subscript(name: String) -> String? {
        guard let v = values[name]?.first?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
        return v
    }

    /// Every value of `name`.
    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// The value exactly as typed (for passwords and notes, whose spaces are theirs).
    func raw(_ name: String) -> String? { values[name]?.first }

    /// Reads a body by its content type.
    init(body: Data, contentType: String?) throws {
        let type = (contentType ?? "").lowercased()
        if type.hasPrefix("multipart/form-data") {
            guard let b = contentType?.components(separatedBy: "boundary=").last?.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) , !b.isEmpty else {
                throw FormError.unreadable
            }
            try self.init(multipart: body, boundary: b)
        } else {
            self.init(urlencoded: String(decoding: body, as: UTF8.self))
        }
    }

    init(urlencoded text: String) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            let key = decode(kv[0])
            values[key, default: []].append(kv.count > 1 ? decode(kv[1]) : "")
        }
    }

    init(multipart body: Data, boundary: String) throws {
        let delimiter = Data("--\(boundary)".utf8)
        let bytes = [UInt8](body)
        let d = [UInt8](delimiter)
        func find(_ needle: [UInt8], from: Int) -> Int? {
            guard needle.count <= bytes.count else { return nil }
            var i = from
            while i <= bytes.count - needle.count {
                if bytes[i] == needle[0] && Array(bytes[i..<i + needle.count]) == needle { return i }
                i += 1
            }
            return nil
        }
        guard var start = find(d, from: 0) else { throw FormError.unreadable }
        while true {
            start += d.count
            if start + 2 <= bytes.count && bytes[start] == 45 && bytes[start + 1] == 45 { break }   // "--": the end
            if start + 2 <= bytes.count && bytes[start] == 13 && bytes[start + 1] == 10 { start += 2 }
            guard let headerEnd = find([13, 10, 13, 10], from: start), let next = find(d, from: headerEnd) else { throw FormError.unreadable }
            let headers = String(decoding: bytes[start..<headerEnd], as: UTF8.self)
            var contentEnd = next
            if contentEnd >= 2 && bytes[contentEnd - 2] == 13 && bytes[contentEnd - 1] == 10 { contentEnd -= 2 }
            let content = Data(bytes[(headerEnd + 4)..<max(headerEnd + 4, contentEnd)])
            var name: String?
            var filename: String?
            for line in headers.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition") {
                for part in line.components(separatedBy: ";") {
                    let kv = part.trimmingCharacters(in: .whitespaces).components(separatedBy: "=")
                    guard kv.count == 2 else { continue }
                    let value = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                    if kv[0] == "name" { name = value }
                    if kv[0] == "filename" { filename = value }
                }
            }
            if let name {
                if let filename {
                    files[name] = (filename, content)
                } else {
                    values[name, default: []].append(String(decoding: content, as: UTF8.self))
                }
            }
            start = next
        }
    }

    func file(_ name: String) -> (filename: String, data: Data)? {
        guard let f = files[name], !f.data.isEmpty else { return nil }
        return f
    }
}

enum FormError: Error { case unreadable }

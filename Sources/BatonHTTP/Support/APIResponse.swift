import BatonCore
import BatonStore
import Foundation
import HTTPTypes
import BatonWeb
import Hummingbird

/// A response as bytes: what routes return and what idempotency records store.
struct APIResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: [String: String]
    var body: Data

    /// A JSON response.
    static func json(_ value: some JSONWritable, status: HTTPResponse.Status = .ok, headers: [String: String] = [:]) throws -> APIResponse {
        var h = headers
        h["Content-Type"] = "application/json; charset=utf-8"
        return APIResponse(status: status, headers: h, body: Data(JSONWriter.bytes(value)))
    }

    /// A task, with its version as the ETag.
    static func task(_ task: TaskRecord, status: HTTPResponse.Status = .ok) throws -> APIResponse {
        var headers = ["ETag": "\"\(task.version)\""]
        if status == .created { headers["Location"] = "/v1/tasks/\(task.id.lower)" }
        return try json(task, status: status, headers: headers)
    }

    /// UTF-8 CSV with its byte-order mark already in `text`.
    static func csv(_ text: String, filename: String) -> APIResponse {
        APIResponse(status: .ok, headers: ["Content-Type": "text/csv; charset=utf-8",
                                           "Content-Disposition": "attachment; filename=\"\(filename)\""], body: Data(text.utf8))
    }

    var response: Response {
        var fields = HTTPFields()
        for (k, v) in headers.sorted(by: { $0.key < $1.key }) {
            if let name = HTTPField.Name(k) { fields[name] = v }
        }
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension Request {
    /// `?name=` or nil when absent or empty.
    func query(_ name: String) -> String? {
        guard let v = uri.queryParameters.get(name), !v.isEmpty else { return nil }
        return v
    }

    /// How a report (the board, statistics) is asked for, read before any work: `?format=csv`, or an
    /// `Accept` that ranks `text/csv` above JSON (by q-value, then by order); CSV headers in a language
    /// (`?lang=vi|en`, or an `Accept-Language` that starts with one) or as the JSON field names.
    /// `format` and `lang` other than the document's values are 422 naming them.
    func reportForm() throws -> ReportForm {
        let languages = ["vi", "en"]
        let lang = try Query.choice(self, "lang", of: languages)
        let asked = lang ?? headers[.acceptLanguage].flatMap { $0.split(separator: ",").first.map { String($0.prefix(2)).lowercased() } }
        return ReportForm(csv: try prefersCSV(), language: asked.flatMap { languages.contains($0) ? $0 : nil })
    }

    private func prefersCSV() throws -> Bool {
        if try Query.choice(self, "format", of: ["csv", "json"]) == "csv" { return true }
        guard let accept = headers[.accept] else { return false }
        var best: (q: Double, csv: Bool)?
        for range in accept.lowercased().split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let csv = parts[0] == "text/csv"
            guard csv || ["application/json", "application/*", "*/*"].contains(parts[0]) else { continue }
            let q = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if q > 0, q > best?.q ?? 0 { best = (q, csv) }
        }
        return best?.csv ?? false
    }
}

/// A report as CSV or JSON (`Request.reportForm`); CSV headers are a language's labels or the JSON field names.
struct ReportForm {
    let csv: Bool
    let language: String?

    func headers(_ columns: [String]) -> [String] {
        language.map { ColumnLabels.headers(columns, language: $0) } ?? columns
    }
}

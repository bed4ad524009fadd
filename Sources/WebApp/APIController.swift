import Foundation
import HirobaCore
import HTTPTypes
import Hummingbird
import NIOCore
import Storage

/// The JSON API under /api/v1 (token or session auth; described by /api/v1/openapi.json).
struct APIController {
    let services: AppServices

    func register(on group: RouterGroup<HirobaContext>) {
        group.get("openapi.json") { _, _ in json(OpenAPI.document) }
        registerKnowledge(on: group)
        registerProofreading(on: group)
        registerAnswers(on: group)
        registerListening(on: group)
        group.get("me") { _, context in
            let user = try context.requireUser()
            return try json([
                "login": user.login, "display_name": user.displayName, "roles": user.roles.sorted().map(\.rawValue),
                "organization": user.placement.organization, "bureau": user.placement.bureau, "section": user.placement.section,
            ])
        }
        group.get("collections") { _, context in
            let scope = try services.access.readableCollectionIDs(for: context.user)
            let rows = try services.store.collections().filter { scope.contains($0.id.rawValue) }
            return try json(["collections": rows.map { ["name": $0.name, "documents": $0.documentCount] }])
        }
        group.get("search") { request, context in
            let q = request.uri.queryParameters
            guard let query = q["q"].map(String.init), !query.isEmpty else {
                throw APIError.badRequest("検索語（q）がありません", fix: "Add ?q=… to the URL.", code: "missing_query")
            }
            let k = try q["k"].map { raw -> Int in
                guard let k = Int(raw) else { throw APIError.badRequest("k が数値ではありません", fix: "Use k=1…100.", code: "bad_k") }
                return k
            } ?? 10
            return try await search(query: query, collections: q.getAll("collection").map { String($0) }, k: k, context: context)
        }
        group.post("search") { request, context in
            try requireJSON(request)
            try context.requireCSRF(request.headers[HTTPField.Name("X-CSRF-Token")!])
            struct Body: Decodable {
                var query: String
                var collections: [String]?
                var k: Int?
            }
            let body = try await decodeJSON(Body.self, from: request, limit: 64 * 1024)
            return try await search(query: body.query, collections: body.collections ?? [], k: body.k ?? 10, context: context)
        }
    }

    /// Read-only: nothing is committed between the token check and the search, so its data version stands.
    func search(query: String, collections: [String], k: Int, context: HirobaContext) async throws -> Response {
        let outcome = try await SearchService(services: services).search(
            query: query, collections: collections, k: k, user: context.user, context: context, version: context.dataVersion)
        return jsonResponse(Data(Self.searchBody(query: query, outcome: outcome).bytes), status: .ok)
    }

    /// The search response (`SearchResult` in the OpenAPI document), written directly: the hottest route.
    static func searchBody(query: String, outcome: SearchService.Outcome) -> JSONBytes {
        var json = JSONBytes()
        json.beginObject()
        json.key("query")
        json.string(query)
        json.key("total")
        json.int(Int64(outcome.response.totalMatches))
        json.key("total_is_exact")
        json.bool(outcome.response.totalIsExact)
        json.key("elapsed_ms")
        json.decimal(outcome.milliseconds, places: 3)
        json.key("hits")
        json.beginArray()
        for hit in outcome.response.hits {
            json.beginObject()
            json.key("chunk_id")
            json.int(hit.chunkID.rawValue)
            json.key("document_id")
            json.int(hit.documentID.rawValue)
            // The locator's text once (the citation is the title and it); the URL as `citedURL` writes it.
            let display = hit.locator.display
            json.key("collection")
            json.string(hit.collection)
            json.key("title")
            json.string(hit.title)
            json.key("citation")
            json.string(display.isEmpty ? hit.title : hit.title + " " + display)
            json.key("url")
            json.plainString { out in
                out += "/documents/".utf8
                DecimalDigits.append(hit.documentID.rawValue, to: &out)
                out += "#chunk-".utf8
                DecimalDigits.append(hit.chunkID.rawValue, to: &out)
            }
            json.key("locator")
            json.string(display)
            json.key("snippet")
            json.string(utf8: hit.snippetUTF8)
            json.key("score")
            json.decimal(hit.score, places: 4)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json
    }

    /// Reads at most `limit` bytes of JSON into `T`: 413 beyond it, 400 with the decoder's reason otherwise.
    func decodeJSON<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw APIError(
                .contentTooLarge, code: "body_too_large", message: "要求の本文が大きすぎます（上限 \(limit / 1024) KiB）",
                fix: "Send a smaller JSON body.")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            let reason: String
            switch error {
            case .keyNotFound(let key, _): reason = "項目「\(key.stringValue)」がありません"
            case .typeMismatch(_, let c), .valueNotFound(_, let c):
                reason = "項目「\(c.codingPath.map(\.stringValue).joined(separator: "."))」の型が違います"
            default: reason = "JSON として読めません"
            }
            throw APIError.badRequest(
                "JSON の形式が正しくありません: \(reason)", fix: "Send a JSON object as described in /api/v1/openapi.json.",
                code: "malformed_json")
        }
    }

    func requireJSON(_ request: Request) throws {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("application/json") else {
            throw APIError(
                .unsupportedMediaType, code: "unsupported_media_type", message: "JSON（application/json）で送信してください",
                fix: "Set Content-Type: application/json and send a JSON body.")
        }
    }
}

/// A JSON response from plain values (dictionaries, arrays, strings, numbers, booleans).
func json(_ value: Any, status: HTTPResponse.Status = .ok) throws -> Response {
    jsonResponse(try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]), status: status)
}

func encodedJSON(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes]
    return jsonResponse(try encoder.encode(value), status: status)
}

func jsonResponse(_ data: Data, status: HTTPResponse.Status) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "application/json; charset=utf-8"
    headers[.cacheControl] = "no-store"
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: data)))
}

/// Where the document viewer shows a hit's chunk.
func citedURL(_ hit: SearchHit) -> String { "/documents/\(hit.documentID.rawValue)#chunk-\(hit.chunkID.rawValue)" }

func json(_ text: String) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "application/json; charset=utf-8"
    return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
}

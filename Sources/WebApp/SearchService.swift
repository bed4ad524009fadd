import Foundation
import HirobaCore
import Storage

/// One search as the UI and the API run it: the caller's readable collections become the search's scope
/// (applied inside scoring), and the search is recorded in the audit log with the documents it returned.
struct SearchService {
    let services: AppServices
    static let maxQueryCharacters = 1000

    struct Outcome {
        var response: SearchResponse
        var milliseconds: Double
    }

    /// `scope` is what the caller may read when the caller has already looked them up. `version`: the
    /// database's data version read earlier in this request (`HirobaContext.dataVersion`), for routes that
    /// commit nothing before searching; nil reads it here.
    func search(
        query: String, collections: [String], k: Int, user: UserAccount?, context: HirobaContext,
        scope: AccessControl.ReadScope? = nil, version: Int64? = nil
    ) async throws -> Outcome {
        guard query.count <= Self.maxQueryCharacters else {
            throw APIError.badRequest(
                "検索語が長すぎます（\(query.count) 文字。上限は \(Self.maxQueryCharacters) 文字）",
                fix: "Shorten the query to its key words.", code: "query_too_long")
        }
        guard (1...100).contains(k) else {
            throw APIError.badRequest("k は 1〜100 で指定してください（\(k)）", fix: "Ask for 1–100 hits.", code: "bad_k")
        }
        let start = ContinuousClock.now
        let version = try version ?? services.database.dataVersion()
        let scope = try scope ?? services.access.readScope(for: user, version: version)
        var request = SearchRequest(query: query, collections: collections, k: k, scope: scope.collections, hiddenDocuments: scope.hiddenDocuments)
        request.dataVersion = version
        let response = try services.store.search(request)
        let elapsed = (ContinuousClock.now - start).components
        try await services.audit.record(
            AuditEvent(
                actorID: user?.id, actor: user?.login ?? "匿名", action: "search", target: query,
                collection: collections.isEmpty ? nil : collections.joined(separator: ","),
                documents: Array(Set(response.hits.map(\.documentID.rawValue))).sorted(),
                detail: "\(response.totalMatches) 件", address: context.address))
        return Outcome(
            response: response, milliseconds: Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15)
    }
}

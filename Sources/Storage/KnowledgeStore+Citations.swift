import Foundation
import GRDB
import HirobaCore
import JapaneseText
import Search

extension KnowledgeStore {
    /// Chunks a query cites outright: it names a document by its title and an article of it
    /// (「地方自治法 第二条」, 「財務規則第30条の規定」). Staff who type a citation expect that article first,
    /// whatever BM25 thinks of a 500-article law whose title words are everywhere. Only documents in
    /// `allowed` collections are considered, so the lookup never widens what the caller may see.
    /// `references` are the article keys the query names (`ArticleNumber.references`), and `articleHits`
    /// the chunks that carry each key (from the index postings of its `§` term).
    func citedChunks(
        query: String, references: [String], articleHits: [String: [ScoredHit]], allowed: Set<Int64>?, hidden: Set<Int64>, in db: Database
    ) throws -> [ScoredHit] {
        guard references.contains(where: { !(articleHits[$0] ?? []).isEmpty }) else { return [] }
        let normalized = TextNormalizer.normalize(query)
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT id, collection_id, title FROM documents
                WHERE length(title) >= 2 AND (instr(?, title) > 0 OR instr(?, title) > 0)
                ORDER BY id
                """, arguments: [query, normalized])
        var documents = rows.map { (id: $0["id"] as Int64, collection: $0["collection_id"] as Int64, title: $0["title"] as String) }
        if let allowed { documents.removeAll { !allowed.contains($0.collection) } }
        documents.removeAll { hidden.contains($0.id) }
        // 「地方自治法施行令 第二条」 names the 施行令, not 地方自治法: drop titles inside a longer matched one.
        let matched = documents
        documents.removeAll { d in matched.contains { $0.title.count > d.title.count && $0.title.contains(d.title) } }
        let named = Set(documents.map(\.id))
        var out: [ScoredHit] = []
        for reference in references {
            out += (articleHits[reference] ?? []).filter { named.contains($0.documentID) }.sorted { $0.chunkID < $1.chunkID }
        }
        return out
    }
}

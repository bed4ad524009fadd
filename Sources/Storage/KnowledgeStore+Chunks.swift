import Foundation
import GRDB
import HirobaCore

extension KnowledgeStore {
    /// The chunks of one document in order, with their heading paths and locators (for citation checks,
    /// document views and evaluations).
    public func chunks(documentID: DocumentID) throws -> [ChunkDraft] {
        try database.read { db in
            let decoder = JSONDecoder()
            return try Row.fetchAll(
                db, sql: "SELECT ordinal, text, heading_path, locator FROM chunks WHERE document_id = ? ORDER BY ordinal",
                arguments: [documentID.rawValue]
            ).map { row in
                ChunkDraft(
                    ordinal: row["ordinal"], text: row["text"],
                    headingPath: (try? decoder.decode([String].self, from: Data((row["heading_path"] as String).utf8))) ?? [],
                    locator: (try? decoder.decode(Locator.self, from: Data((row["locator"] as String).utf8))) ?? Locator())
            }
        }
    }
}

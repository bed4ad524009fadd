import Foundation
import JapaneseText
import Storage

/// Opens the store the CLI commands work on.
enum StoreFactory {
    static func open(_ options: DatabaseOptions) throws -> KnowledgeStore {
        let database = try AppDatabase(path: options.db)
        return KnowledgeStore(database: database, model: try MeCabModel.shared())
    }
}

import ArgumentParser
import Foundation
import HirobaCore
import Storage

struct CollectionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "collections", abstract: "コレクション一覧 (list collections).")
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "JSON on stdout.") var json = false

    func run() throws {
        let list = try StoreFactory.open(database).collections()
        if json {
            print(jsonString(list.map { ["id": $0.id.rawValue, "name": $0.name, "documents": $0.documentCount, "chunks": $0.chunkCount] }))
            return
        }
        if list.isEmpty { print("コレクションはまだありません。`hiroba ingest PATH --collection NAME` で作成できます。") }
        for c in list { print("\(c.name)\t文書 \(c.documentCount)\tチャンク \(c.chunkCount)") }
    }
}

struct DocumentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "documents", abstract: "文書一覧 (list a collection's documents).")
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Collection name.") var collection: String
    @Flag(help: "JSON on stdout.") var json = false

    func run() throws {
        let docs = try StoreFactory.open(database).documents(collection: collection)
        if json {
            print(jsonString(docs.map { ["id": $0.id.rawValue, "source": $0.source, "title": $0.title, "sha256": $0.contentHash, "bytes": $0.byteSize] }))
            return
        }
        for d in docs { print("\(d.id)\t\(d.title)\t\(d.source)") }
    }
}

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "文書またはコレクションを削除 (delete a document, by id or source, or a whole collection).")
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Collection name.") var collection: String?
    @Option(help: "Source path of the document to delete (with --collection).") var source: String?
    @Option(help: "Document id to delete.") var document: Int64?
    @Flag(help: "Delete the whole collection (with --collection).") var wholeCollection = false

    func validate() throws {
        if document == nil && collection == nil {
            throw ValidationError("Give --document ID, or --collection NAME with --source PATH or --whole-collection.")
        }
        if collection != nil && source == nil && !wholeCollection && document == nil {
            throw ValidationError("With --collection, also give --source PATH or --whole-collection.")
        }
    }

    func run() throws {
        let store = try StoreFactory.open(database)
        if let document {
            try store.deleteDocument(id: DocumentID(document))
            print("文書 \(document) を削除しました。")
        } else if let collection, let source {
            let id = try store.deleteDocument(collection: collection, source: source)
            print("文書 \(id)（\(source)）を削除しました。")
        } else if let collection, wholeCollection {
            try store.deleteCollection(collection)
            print("コレクション「\(collection)」を削除しました。")
        }
    }
}

struct OptimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize", abstract: "検索インデックスを最適化 (merge index segments, purge deleted entries).")
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try StoreFactory.open(database)
        try store.optimizeIndex()
        print("インデックスを最適化しました (segments: \(try store.segmentCount())).")
    }
}

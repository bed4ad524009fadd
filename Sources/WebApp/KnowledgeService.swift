import Foundation
import HirobaCore
import Ingest
import Storage

/// Documents and collections as the UI and the API both handle them: every operation checks the caller's
/// rights first and records itself in the audit log, so the two front ends cannot drift apart.
struct KnowledgeService {
    let services: AppServices

    // MARK: reading documents

    /// A document id from a URL: decimal digits only, so nothing else (`../../etc/passwd`, `1;DROP`, `%00`)
    /// ever reaches storage or the file system.
    static func documentID(_ raw: String) throws -> DocumentID {
        guard !raw.isEmpty, raw.count <= 18, raw.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let id = Int64(raw), id > 0 else {
            throw APIError.badRequest(
                "文書 ID が不正です（数字で指定してください）", fix: "Use the numeric document_id from a search hit or a listing.",
                code: "bad_document_id")
        }
        return DocumentID(id)
    }

    /// The document if `user` may read it. A document they may not read is reported exactly like a
    /// missing one, so ids cannot be probed.
    func readableDocument(_ id: DocumentID, user: UserAccount?) throws -> DocumentRecord {
        let scope = try services.access.readScope(for: user)
        guard let record = try services.store.documentRecord(id: id),
            scope.allows(collectionID: record.document.collectionID.rawValue, documentID: id.rawValue)
        else { throw StorageError.documentNotFound("\(id.rawValue)") }
        return record
    }

    func view(_ id: DocumentID, user: UserAccount?, context: HirobaContext) throws -> (DocumentRecord, [StoredChunk]) {
        let record = try readableDocument(id, user: user)
        let chunks = try services.store.storedChunks(documentID: id)
        try services.audit.append(
            AuditEvent(
                actorID: user?.id, actor: user?.login ?? "匿名", action: "document.view", target: record.document.title,
                collection: record.collection, documents: [id.rawValue], address: context.address))
        return (record, chunks)
    }

    /// The documents of a readable collection the caller may read.
    func documents(collection: String, user: UserAccount?) throws -> [DocumentRecord] {
        let scope = try services.access.readScope(for: user)
        guard let access = try services.access.collection(named: collection), scope.collections.contains(access.id) else {
            throw StorageError.collectionNotFound(collection)
        }
        return try services.store.documentRecords(collection: collection).filter { !scope.hiddenDocuments.contains($0.document.id.rawValue) }
    }

    // MARK: writing documents

    /// A collection the user may add documents to (not found when they cannot even read it).
    func writableCollection(_ name: String, user: UserAccount) throws -> AccessControl.CollectionAccess {
        let scope = try services.access.readScope(for: user)
        guard let access = try services.access.collection(named: name), scope.collections.contains(access.id) else {
            throw StorageError.collectionNotFound(name)
        }
        guard services.access.canWrite(access, user: user) else {
            throw APIError(
                .forbidden, code: "forbidden", message: "このコレクション（\(name)）に文書を追加・削除する権限がありません",
                fix: "Ask the owning section or a bureau administrator to upload it, or for a grant.")
        }
        return access
    }

    func writableCollections(user: UserAccount) throws -> [AccessControl.CollectionAccess] {
        let scope = try services.access.readScope(for: user)
        return try services.access.collections().filter { scope.collections.contains($0.id) && services.access.canWrite($0, user: user) }
    }

    /// The file name an upload may carry: its last path component, a supported extension, no control
    /// characters, at most 200 characters.
    /// `raw` is the already percent-decoded `filename` query value.
    static func uploadFileName(_ raw: String?) throws -> String {
        let last = (raw ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let name = last.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name != ".", name != "..", name.count <= 200,
            !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw APIError.badRequest(
                "ファイル名がないか、不正です", fix: "Send the file name as ?filename=NAME.pdf (1–200 characters).", code: "bad_filename")
        }
        guard DocumentFormat.of(path: name) != nil else {
            throw APIError(
                .unsupportedMediaType, code: "unsupported_type",
                message: "未対応のファイル形式です（\(name)）。対応形式: PDF, Word (docx), Excel (xlsx), PowerPoint (pptx), HTML, Markdown, テキスト, CSV/TSV",
                fix: "Convert the file to one of: " + DocumentFormat.supportedExtensions.joined(separator: ", ") + ".")
        }
        return name
    }

    struct UploadResult {
        var documentID: DocumentID
        var status: String
        var chunks: Int
        var title: String
        var warnings: [String]
    }

    /// Extracts, chunks and stores an uploaded file already written to `path` (named as uploaded). The same
    /// file name in the same collection replaces the earlier version; identical content changes nothing.
    func ingestUpload(
        path: String, fileName: String, collection: String, user: UserAccount, context: HirobaContext
    ) throws -> UploadResult {
        _ = try writableCollection(collection, user: user)
        let directory = (path as NSString).deletingLastPathComponent + "/"
        let extracted: ExtractedDocument
        let data: Data
        do {
            (extracted, data) = try DocumentExtractor.extract(path: path)
        } catch let error as IngestError {
            try services.audit.append(
                AuditEvent(
                    actorID: user.id, actor: user.login, action: "document.upload.rejected", target: fileName, collection: collection,
                    detail: error.message.replacingOccurrences(of: directory, with: ""), address: context.address))
            throw APIError(
                .unprocessableContent, code: "unreadable_file", message: error.message.replacingOccurrences(of: directory, with: ""),
                fix: error.fix)
        }
        let input = DocumentInput(
            source: fileName, title: extracted.title, mediaType: extracted.mediaType, contentHash: DocumentInput.hash(data),
            byteSize: data.count, chunks: extracted.chunks)
        let outcome = try services.store.ingest([input], collection: collection)[0]
        let (id, status, chunks): (DocumentID, String, Int)
        switch outcome {
        case .added(let d, let n): (id, status, chunks) = (d, "added", n)
        case .updated(let d, let n): (id, status, chunks) = (d, "updated", n)
        case .unchanged(let d): (id, status, chunks) = (d, "unchanged", extracted.chunks.count)
        }
        try services.audit.append(
            AuditEvent(
                actorID: user.id, actor: user.login, action: "document.upload", target: fileName, collection: collection,
                documents: [id.rawValue], detail: "\(status) \(chunks) chunks, \(data.count) bytes", address: context.address))
        return UploadResult(documentID: id, status: status, chunks: chunks, title: extracted.title, warnings: extracted.warnings)
    }

    func delete(_ id: DocumentID, user: UserAccount, context: HirobaContext) throws -> DocumentRecord {
        let record = try readableDocument(id, user: user)
        _ = try writableCollection(record.collection, user: user)
        try services.store.deleteDocument(id: id)
        try services.audit.append(
            AuditEvent(
                actorID: user.id, actor: user.login, action: "document.delete", target: record.document.title,
                collection: record.collection, documents: [id.rawValue], address: context.address))
        return record
    }

    /// Narrows a document below its collection's visibility (nil: back to the collection's). Collection
    /// managers only.
    func setVisibility(_ id: DocumentID, _ visibility: Visibility?, user: UserAccount, context: HirobaContext) throws -> DocumentRecord {
        let record = try readableDocument(id, user: user)
        guard let access = try services.access.collection(named: record.collection), services.access.canManage(access, user: user) else {
            throw APIError.forbidden
        }
        if visibility == .public || visibility == .all {
            throw APIError.badRequest(
                "文書の公開範囲は「課内」「局内」「庁内」でのみ狭められます", fix: "Use section, bureau, organization, or null.",
                code: "bad_visibility")
        }
        try services.access.setDocumentVisibility(documentID: id.rawValue, visibility)
        try services.audit.append(
            AuditEvent(
                actorID: user.id, actor: user.login, action: "document.visibility", target: record.document.title,
                collection: record.collection, documents: [id.rawValue], detail: visibility?.rawValue ?? "inherit",
                address: context.address))
        return try services.store.documentRecord(id: id) ?? record
    }
}

import Foundation
import HirobaCore
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix
import Storage

/// Documents, uploads, collection administration and the audit log under /api/v1.
extension APIController {
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    func registerKnowledge(on group: RouterGroup<HirobaContext>) {
        let knowledge = KnowledgeService(services: services)
        let admin = AdminService(services: services)

        group.get("documents/:id") { _, context in
            let id = try KnowledgeService.documentID(context.parameters.get("id") ?? "")
            let (record, chunks) = try knowledge.view(id, user: context.user, context: context)
            var body = documentJSON(record)
            body["chunks"] = chunks.map { c -> [String: Any] in
                [
                    "chunk_id": c.id, "ordinal": c.chunk.ordinal, "heading_path": c.chunk.headingPath, "locator": c.chunk.locator.display,
                    "text": c.chunk.text,
                ]
            }
            return try json(body)
        }
        group.delete("documents/:id") { request, context in
            let user = try context.requireUser()
            try context.requireCSRF(request.headers[Self.csrfHeader])
            let id = try KnowledgeService.documentID(context.parameters.get("id") ?? "")
            let record = try knowledge.delete(id, user: user, context: context)
            return try json(["deleted": record.document.id.rawValue, "title": record.document.title])
        }
        group.put("documents/:id/visibility") { request, context in
            let user = try context.requireUser()
            try requireJSON(request)
            try context.requireCSRF(request.headers[Self.csrfHeader])
            let id = try KnowledgeService.documentID(context.parameters.get("id") ?? "")
            struct Body: Decodable { var visibility: String? }
            let body = try await decodeJSON(Body.self, from: request, limit: 4 * 1024)
            let visibility = try body.visibility.map { try AdminService.visibility($0) }
            return try json(documentJSON(try knowledge.setVisibility(id, visibility, user: user, context: context)))
        }
        group.get("collections/:name/documents") { _, context in
            let name = try collectionNameParameter(context)
            let records = try knowledge.documents(collection: name, user: context.user)
            return try json(["collection": name, "documents": records.map(documentJSON)])
        }
        group.post("collections/:name/documents") { request, context in
            let user = try context.requireUser()
            try context.requireCSRF(request.headers[Self.csrfHeader])
            let name = try collectionNameParameter(context)
            let fileName = try KnowledgeService.uploadFileName(request.uri.queryParameters["filename"].map(String.init))
            // Rights are checked before a byte of the body is read.
            _ = try knowledge.writableCollection(name, user: user)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hiroba-upload-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent(fileName).path
            try await Self.write(request.body, to: path, limit: context.maxUploadSize)
            // Extraction and indexing are CPU-bound: keep them off the event loop.
            let result = try await NIOThreadPool.singleton.runIfActive {
                try knowledge.ingestUpload(path: path, fileName: fileName, collection: name, user: user, context: context)
            }
            return try json(
                [
                    "document_id": result.documentID.rawValue, "status": result.status, "chunks": result.chunks, "title": result.title,
                    "collection": name, "file_name": fileName, "warnings": result.warnings,
                ], status: result.status == "added" ? .created : .ok)
        }

        group.get("admin/collections") { _, context in
            let user = try context.requireUser()
            return try json(["collections": try admin.manageableCollections(user: user).map(collectionAccessJSON)])
        }
        group.post("admin/collections") { request, context in
            let user = try context.requireUser()
            try requireJSON(request)
            try context.requireCSRF(request.headers[Self.csrfHeader])
            struct Body: Decodable {
                var name: String
                var owner: String?
                var visibility: String?
            }
            let body = try await decodeJSON(Body.self, from: request, limit: 8 * 1024)
            try admin.createCollection(
                name: body.name, owner: body.owner, visibility: try AdminService.visibility(body.visibility ?? "section"), user: user,
                context: context)
            return try json(collectionAccessJSON(try admin.managedCollection(body.name, user: user)), status: .created)
        }
        group.put("admin/collections/:name/access") { request, context in
            let user = try context.requireUser()
            try requireJSON(request)
            try context.requireCSRF(request.headers[Self.csrfHeader])
            let name = try collectionNameParameter(context)
            struct Body: Decodable {
                var visibility: String
                var owner: String?
            }
            let body = try await decodeJSON(Body.self, from: request, limit: 8 * 1024)
            try admin.setAccess(
                collection: name, owner: body.owner, visibility: try AdminService.visibility(body.visibility), user: user, context: context)
            return try json(collectionAccessJSON(try admin.managedCollection(name, user: user)))
        }
        group.post("admin/collections/:name/grants") { request, context in
            let user = try context.requireUser()
            try requireJSON(request)
            try context.requireCSRF(request.headers[Self.csrfHeader])
            let name = try collectionNameParameter(context)
            struct Body: Decodable { var grantee: String }
            let body = try await decodeJSON(Body.self, from: request, limit: 8 * 1024)
            _ = try admin.grant(collection: name, to: body.grantee, user: user, context: context)
            return try json(collectionAccessJSON(try admin.managedCollection(name, user: user)), status: .created)
        }
        group.delete("admin/collections/:name/grants/:kind/:id") { request, context in
            let user = try context.requireUser()
            try context.requireCSRF(request.headers[Self.csrfHeader])
            let name = try collectionNameParameter(context)
            guard let raw = context.parameters.get("id"), let id = Int64(raw) else {
                throw APIError.badRequest("付与先 ID が不正です", fix: "Use the grantee_id from GET /api/v1/admin/collections.", code: "bad_grant")
            }
            try admin.revoke(collection: name, kind: context.parameters.get("kind") ?? "", granteeID: id, user: user, context: context)
            return try json(collectionAccessJSON(try admin.managedCollection(name, user: user)))
        }

        group.get("audit") { request, context in
            let user = try context.requireUser()
            let q = request.uri.queryParameters
            var query = AdminService.AuditQuery(
                from: q["from"].map(String.init), to: q["to"].map(String.init), actor: q["actor"].map(String.init),
                action: q["action"].map(String.init), text: q["q"].map(String.init))
            if let raw = q["limit"] {
                guard let limit = Int(raw) else {
                    throw APIError.badRequest("件数（limit）が数値ではありません", fix: "Use limit=1…5000.", code: "bad_limit")
                }
                query.limit = limit
            }
            let entries = try admin.auditEntries(query, user: user, context: context)
            return try json(["entries": entries.map(auditJSON)])
        }
        group.get("audit/verify") { _, context in
            let user = try context.requireUser()
            try admin.requireAuditor(user)
            let result = try services.audit.verify()
            return try json([
                "ok": result.ok, "checked": result.checked, "first_broken": result.firstBroken.map { $0 as Any } ?? NSNull(),
                "problems": result.problems.map { ["seq": $0.seq, "reason": $0.reason] },
            ])
        }
    }

    /// Streams a request body to `path`, refusing more than `limit` bytes with 413 (the partial file is
    /// removed with its directory by the caller).
    static func write(_ body: RequestBody, to path: String, limit: Int) async throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw APIError(.internalServerError, code: "internal", message: "一時ファイルを作成できません", fix: "Check the server's temporary directory.")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var written = 0
        for try await buffer in body {
            written += buffer.readableBytes
            if written > limit {
                throw APIError(
                    .contentTooLarge, code: "body_too_large", message: "ファイルが大きすぎます（上限 \(limit / 1024 / 1024) MB）",
                    fix: "Split the document, or compress its images before uploading.")
            }
            try handle.write(contentsOf: buffer.readableBytesView)
        }
        if written == 0 {
            throw APIError.badRequest("ファイルが空です", fix: "Choose a file with content.", code: "empty_file")
        }
    }
}

/// The `:name` route parameter (route parameters arrive percent-encoded).
func collectionNameParameter(_ context: HirobaContext) throws -> String {
    guard let name = (context.parameters.get("name") ?? "").removingPercentEncoding, !name.isEmpty else {
        throw APIError.badRequest("コレクション名が不正です", fix: "Percent-encode the collection name in the URL.", code: "bad_collection")
    }
    return name
}

func documentJSON(_ record: DocumentRecord) -> [String: Any] {
    [
        "document_id": record.document.id.rawValue, "title": record.document.title, "source": record.document.source,
        "collection": record.collection, "media_type": record.document.mediaType, "bytes": record.document.byteSize,
        "updated_at": ISO8601DateFormatter().string(from: record.document.updatedAt),
        "visibility": record.visibility.map { $0.rawValue as Any } ?? NSNull(),
    ]
}

func collectionAccessJSON(_ c: AccessControl.CollectionAccess) -> [String: Any] {
    [
        "name": c.name, "visibility": c.visibility.rawValue, "owner": c.owner.map { $0.display as Any } ?? NSNull(),
        "owner_path": c.owner.map { "\($0.organization)/\($0.bureau)/\($0.section)" as Any } ?? NSNull(),
        "grants": c.grants.map { ["kind": $0.kind.rawValue, "grantee_id": $0.granteeID, "label": $0.label] },
    ]
}

func auditJSON(_ e: AuditEntry) -> [String: Any] {
    [
        "seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action, "target": e.target,
        "collection": e.collection.map { $0 as Any } ?? NSNull(), "documents": e.documents.map { $0 as Any } ?? NSNull(),
        "detail": e.detail.map { $0 as Any } ?? NSNull(), "address": e.address.map { $0 as Any } ?? NSNull(), "hash": e.hash,
    ]
}

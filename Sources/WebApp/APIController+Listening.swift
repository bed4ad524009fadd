import Foundation
import HirobaCore
import HTTPTypes
import Hummingbird
import Listening
import NIOCore
import NIOPosix
import Storage

/// Broad-listening projects under /api/v1/listening: upload a comment file, confirm its columns and run,
/// follow the progress, read and edit the clusters, publish, download the outputs.
extension APIController {
    func registerListening(on group: RouterGroup<HirobaContext>) {
        let listening = services.listening

        group.get("listening") { _, context in
            let projects = try listening.store.projects(readableBy: context.user)
            return try json(["projects": projects.map { listeningProjectJSON($0, user: context.user) }])
        }
        group.post("listening") { request, context in
            let user = try context.requireUser()
            try context.requireCSRF(request.headers[Self.csrfHeader])
            let fileName = try KnowledgeService.uploadFileName(request.uri.queryParameters["filename"].map(String.init))
            let title = request.uri.queryParameters["title"].map(String.init)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hiroba-listen-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent(fileName).path
            try await Self.write(request.body, to: path, limit: context.maxUploadSize)
            let project = try await NIOThreadPool.singleton.runIfActive {
                try listening.create(upload: path, fileName: fileName, title: title, user: user, address: context.address)
            }
            var body = listeningProjectJSON(project, user: user)
            body["columns"] = try jsonObject(try listening.columns(project))
            return try json(body, status: .created)
        }
        group.get("listening/:id") { _, context in
            let id = try ListeningService.projectID(context.parameters.get("id") ?? "")
            let project = try listening.readable(id, user: context.user)
            var body = listeningProjectJSON(project, user: context.user)
            if project.status == .uploaded || project.status == .failed, let user = context.user, ListeningStore.canEdit(project, user: user) {
                body["columns"] = try jsonObject(try listening.columns(project))
            }
            return try json(body)
        }
        group.delete("listening/:id") { request, context in
            let user = try context.requireUser()
            try context.requireCSRF(request.headers[Self.csrfHeader])
            let id = try ListeningService.projectID(context.parameters.get("id") ?? "")
            let project = try listening.delete(id, user: user, address: context.address)
            return try json(["deleted": project.id, "title": project.title])
        }
        group.post("listening/:id/run") { request, context in
            let user = try context.requireUser()
            try requireJSON(request)
            try context.requireCSRF(request.headers[Self.csrfHeader])
            let id = try ListeningService.projectID(context.parameters.get("id") ?? "")
            struct Body: Decodable {
                var comment_column: String
                var attribute_columns: [String]?
                var seed: UInt64?
                var clusters: [Int]?
                var use_model: Bool?
            }
            let body = try await decodeJSON(Body.self, from: request, limit: 16 * 1024)
            let project = try await NIOThreadPool.singleton.runIfActive {
                try listening.start(
                    id, commentColumn: body.comment_column, attributeColumns: body.attribute_columns ?? [], seed: body.seed,
                    clusters: body.clusters.map { $0.map(String.init).joined(separator: ",") }, useModel: body.use_model ?? false, user: user,
                    address: context.address)
            }
            return try json(listeningProjectJSON(project, user: user), status: .accepted)
        }
        group.get("listening/:id/clusters") { _, context in
            let id = try ListeningService.projectID(context.parameters.get("id") ?? "")
            let project = try listening.readable(id, user: context.user)
            guard project.status == .done else {
                throw APIError(.conflict, code: "not_done", message: "分析が完了していません", fix: "Wait until status is done.")
            }
            let result = try listening.clusterView(id)
            let edits = try listening.store.edits(project: id)
            return try json([
                "project": id, "overview": result.overview, "levels": result.levels.map(\.clusterIDs),
                "clusters": result.clusters.map(listeningClusterJSON),
                "edits": edits.map { e -> [String: Any] in
                    [
                        "cluster": e.clusterID, "label": e.label, "summary": e.summary, "previous_label": e.previousLabel,
                        "previous_summary": e.previousSummary, "by": e.login, "at": e.at,
                    ]
                },
            ])
        }
        group.put("listening/:id/clusters/:cluster") { request, context in
            let user = try context.requireUser()
            try requireJSON(request)
            try context.requireCSRF(request.headers[Self.csrfHeader])
            let id = try ListeningService.projectID(context.parameters.get("id") ?? "")
            let cluster = context.parameters.get("cluster") ?? ""
            struct Body: Decodable {
                var label: String
                var summary: String?
            }
            let body = try await decodeJSON(Body.self, from: request, limit: 16 * 1024)
            let edited = try await NIOThreadPool.singleton.runIfActive {
                try listening.editCluster(id, cluster: cluster, label: body.label, summary: body.summary, user: user, address: context.address)
            }
            return try json(listeningClusterJSON(edited))
        }
        group.put("listening/:id/publication") { request, context in
            let user = try context.requireUser()
            try requireJSON(request)
            try context.requireCSRF(request.headers[Self.csrfHeader])
            let id = try ListeningService.projectID(context.parameters.get("id") ?? "")
            struct Body: Decodable { var visibility: String? }
            let body = try await decodeJSON(Body.self, from: request, limit: 4 * 1024)
            let visibility = try body.visibility.map { try AdminService.visibility($0) }
            let project = try listening.publish(id, visibility: visibility, user: user, address: context.address)
            return try json(listeningProjectJSON(project, user: user))
        }
        group.get("listening/:id/files/:name") { _, context in
            let id = try ListeningService.projectID(context.parameters.get("id") ?? "")
            return try await listeningFileResponse(id, name: context.parameters.get("name") ?? "", context: context)
        }
    }

    func listeningClusterJSON(_ c: ListeningCluster) -> [String: Any] {
        [
            "id": c.id, "level": c.level, "parent": c.parent.map { $0 as Any } ?? NSNull(), "children": c.children, "label": c.label, "summary": c.summary,
            "keywords": c.keywords, "opinions": c.opinionCount, "comments": c.commentCount, "weighted_comments": c.weightedCount,
            "share": c.share, "edited": c.edited,
        ]
    }

    /// An output file: the report as a sandboxed page (its script runs, but in an opaque origin without the
    /// session), the others as downloads. Reads are audited.
    func listeningFileResponse(_ id: Int64, name: String, context: HirobaContext) async throws -> Response {
        let (project, path) = try services.listening.file(id, name: name, user: context.user)
        try services.audit.append(
            AuditEvent(
                actorID: context.user?.id, actor: context.user?.login ?? "匿名", action: "listening.read", target: "\(id) \(project.title)",
                detail: name, address: context.address))
        var headers = HTTPFields()
        switch (name as NSString).pathExtension {
        case "html":
            headers[.contentType] = "text/html; charset=utf-8"
            headers[.contentSecurityPolicy] =
                "sandbox allow-scripts; default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
        case "json": headers[.contentType] = "application/json; charset=utf-8"
        case "csv": headers[.contentType] = "text/csv; charset=utf-8"
        default: headers[.contentType] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
        if name != "report.html" {
            let stem = "listening-\(id)-" + (name as NSString).deletingPathExtension + "." + (name as NSString).pathExtension
            headers[.contentDisposition] = "attachment; filename=\"\(stem)\""
        }
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[.cacheControl] = "no-store"
        // Streamed from disk: a 100,000-comment report is ~135 MB.
        return Response(status: .ok, headers: headers, body: try await FileIO().loadFile(path: path.path, context: context))
    }
}

func listeningProjectJSON(_ p: ListeningProject, user: UserAccount?) -> [String: Any] {
    var body: [String: Any] = [
        "id": p.id, "title": p.title, "owner": p.owner.display, "file_name": p.fileName, "input_sha256": p.inputSHA256,
        "input_bytes": p.inputBytes, "status": p.status.rawValue, "status_label": p.status.label, "created_by": p.createdByLogin,
        "created_at": p.createdAt, "updated_at": p.updatedAt, "visibility": p.visibility.rawValue, "published": p.isPublished,
        "progress": ["stage": p.stage.map { $0 as Any } ?? NSNull(), "done": p.progressDone, "total": p.progressTotal],
        "can_edit": user.map { ListeningStore.canEdit(p, user: $0) } ?? false,
        "report_url": "/listening/\(p.id)/report",
    ]
    if let at = p.publishedAt { body["published_at"] = at }
    if let at = p.startedAt { body["started_at"] = at }
    if let at = p.finishedAt { body["finished_at"] = at }
    if let error = p.error { body["error"] = error }
    if user == nil {
        // Citizens reading a public report learn nothing about who on the staff ran it.
        body["created_by"] = nil
    } else if let settings = try? JSONSerialization.jsonObject(with: Data(p.settings.utf8)) {
        body["settings"] = settings
    }
    if let summary = p.summary, let value = try? JSONSerialization.jsonObject(with: Data(summary.utf8)) { body["summary"] = value }
    return body
}

/// An Encodable value as plain JSON values (to nest in a `json(_:)` dictionary).
func jsonObject(_ value: some Encodable) throws -> Any {
    try JSONSerialization.jsonObject(with: try JSONEncoder().encode(value))
}

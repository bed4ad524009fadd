import Foundation
import HirobaCore
import HTTPTypes
import Hummingbird
import Listening
import NIOPosix
import Storage

/// The broad-listening pages: list and upload, one project (columns → run → progress → results), cluster
/// edits, publication, the report and the downloads. Anonymous citizens see published public reports only.
extension WebController {
    func registerListening(on router: Router<HirobaContext>) {
        let listening = services.listening
        router.get("listening") { request, context in try listeningListPage(request, context) }
        router.get("listening/:id") { request, context in try listeningProjectPage(request, context) }
        router.get("listening/:id/report") { _, context in
            do {
                let id = try ListeningService.projectID(context.parameters.get("id") ?? "")
                return try await APIController(services: services).listeningFileResponse(id, name: "report.html", context: context)
            } catch {
                return listeningError(context, APIError.from(error))
            }
        }
        router.get("listening/:id/files/:name") { _, context in
            do {
                let id = try ListeningService.projectID(context.parameters.get("id") ?? "")
                return try await APIController(services: services).listeningFileResponse(id, name: context.parameters.get("name") ?? "", context: context)
            } catch {
                return listeningError(context, APIError.from(error))
            }
        }
        router.post("listening/:id/run") { request, context in
            try await formAction(request, context) { user, form in
                let id = try ListeningService.projectID(context.parameters.get("id") ?? "")
                let attributes = form.filter { $0.key.hasPrefix("attribute_") }.sorted { (Int($0.key.dropFirst(10)) ?? 0) < (Int($1.key.dropFirst(10)) ?? 0) }
                    .map(\.value)
                let rawSeed = (form["seed"] ?? "").trimmingCharacters(in: .whitespaces)
                guard rawSeed.isEmpty || UInt64(rawSeed) != nil else {
                    throw APIError.badRequest("乱数の種は 0 以上の整数で入力してください: \(rawSeed)", fix: "Use a whole number such as 42.", code: "bad_seed")
                }
                // Reading the file again (100,000 rows) and re-rendering are CPU work: off the request threads.
                _ = try await NIOThreadPool.singleton.runIfActive {
                    try listening.start(
                        id, commentColumn: form["comment_column"] ?? "", attributeColumns: attributes, seed: UInt64(rawSeed),
                        clusters: form["clusters"], useModel: form["use_model"] == "1", user: user, address: context.address)
                }
                return ("/listening/\(id)", "分析を開始しました。")
            }
        }
        router.post("listening/:id/clusters/:cluster") { request, context in
            try await formAction(request, context) { user, form in
                let id = try ListeningService.projectID(context.parameters.get("id") ?? "")
                let cluster = context.parameters.get("cluster") ?? ""
                let edited = try await NIOThreadPool.singleton.runIfActive {
                    try listening.editCluster(
                        id, cluster: cluster, label: form["label"] ?? "", summary: form["summary"] ?? "", user: user, address: context.address)
                }
                return ("/listening/\(id)#cluster-\(cluster)", "分類「\(edited.label)」を保存しました。")
            }
        }
        router.post("listening/:id/publish") { request, context in
            try await formAction(request, context) { user, form in
                let id = try ListeningService.projectID(context.parameters.get("id") ?? "")
                let raw = form["visibility"] ?? "draft"
                let visibility = raw == "draft" ? nil : try AdminService.visibility(raw)
                let project = try listening.publish(id, visibility: visibility, user: user, address: context.address)
                return ("/listening/\(id)", project.isPublished ? "「\(project.visibility.label)」で公開しました。" : "公開をやめました（所管課のみ閲覧できます）。")
            }
        }
        router.post("listening/:id/delete") { request, context in
            try await formAction(request, context) { user, _ in
                let id = try ListeningService.projectID(context.parameters.get("id") ?? "")
                let project = try listening.delete(id, user: user, address: context.address)
                return ("/listening", "「\(project.title)」を削除しました。")
            }
        }
    }

    /// Anonymous visitors asking for something not public are sent to the login page rather than told it
    /// does not exist.
    func listeningError(_ context: HirobaContext, _ error: APIError) -> Response {
        if context.user == nil && (error.status == .notFound || error.status == .forbidden) { return .redirect(to: "/login") }
        return errorPage(context, error)
    }

    /// 「2026年11月27日 9:30」 in Tokyo time (document viewer, listening pages).
    static let japaneseDate: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "ja_JP")
        f.timeZone = TimeZone(identifier: "Asia/Tokyo")
        f.dateFormat = "yyyy年M月d日 H:mm"
        return f
    }()

    /// 「2026年11月27日 9:30」 from a stored ISO 8601 timestamp.
    func shownDate(_ stamp: String) -> String {
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = parser.date(from: stamp) else { return stamp }
        return Self.japaneseDate.string(from: date)
    }

    func listeningListPage(_ request: Request, _ context: HirobaContext) throws -> Response {
        do {
            let projects = try services.listening.store.projects(readableBy: context.user)
            var values = layoutValues(context)
            withNotice(&values, request)
            values["maxMB"] = context.maxUploadSize / 1024 / 1024
            values["hasProjects"] = !projects.isEmpty
            values["projects"] = projects.map { p -> [String: Any] in
                let summary = p.summary.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                return [
                    "url": context.user == nil ? "/listening/\(p.id)/report" : "/listening/\(p.id)", "title": p.title,
                    "owner": p.owner.display, "status": p.status.label,
                    "comments": (summary?["comments"] as? Int).map { "\($0) 件" } ?? "—",
                    "publication": p.isPublished ? p.visibility.label : "未公開", "updated": shownDate(p.updatedAt),
                ]
            }
            return Templates.page("listeningList", title: "広聴", context: values)
        } catch {
            return errorPage(context, APIError.from(error))
        }
    }

    func listeningProjectPage(_ request: Request, _ context: HirobaContext) throws -> Response {
        guard let user = context.user else {
            return .redirect(to: "/listening/\(context.parameters.get("id") ?? "")/report")
        }
        let listening = services.listening
        do {
            let id = try ListeningService.projectID(context.parameters.get("id") ?? "")
            let project = try listening.readable(id, user: user)
            let canEdit = ListeningStore.canEdit(project, user: user)
            var values = layoutValues(context)
            withNotice(&values, request)
            values["id"] = id
            values["title"] = project.title
            values["owner"] = project.owner.display
            values["fileName"] = project.fileName
            values["inputKB"] = (project.inputBytes + 1023) / 1024
            values["createdBy"] = project.createdByLogin
            values["statusLabel"] = project.status.label
            values["published"] = project.isPublished
            values["visibilityLabel"] = project.visibility.label
            values["canEdit"] = canEdit
            if let error = project.error { values["error"] = error }
            let settings = try? JSONDecoder().decode(ListeningSettings.self, from: Data(project.settings.utf8))
            if canEdit && (project.status == .uploaded || project.status == .failed) {
                let choice = try listening.columns(project)
                let comment = settings?.commentColumn ?? choice.suggestedComment
                let attributes = settings?.attributeColumns ?? choice.suggestedAttributes
                values["columns"] = [
                    "rows": choice.rows, "warnings": choice.warnings, "seed": settings.map { String($0.seed) } ?? "42",
                    "clusters": settings?.clusters.map { $0.map(String.init).joined(separator: ",") } ?? "",
                    "columnOptions": choice.columns.enumerated().map { i, c -> [String: Any] in
                        [
                            "index": i, "name": c.name, "meanLength": c.meanLength, "sample": c.sample, "comment": c.name == comment,
                            "attribute": attributes.contains(c.name),
                        ]
                    },
                ] as [String: Any]
                if let name = listening.modelName(for: project.owner) { values["modelName"] = name }
            }
            if project.status == .queued || project.status == .running {
                values["running"] = [
                    "stage": project.status.label + (project.stage.map { ": " + $0 } ?? ""), "done": project.progressDone,
                    "total": max(project.progressTotal, 1),
                ] as [String: Any]
            }
            if project.status == .done {
                let result = try listening.clusterView(id)
                let labels = Dictionary(uniqueKeysWithValues: result.clusters.map { ($0.id, $0.label) })
                let c = result.counts
                var done: [String: Any] = [
                    "summaryText": "\(c.comments) 件のコメント（重複 \(c.duplicateComments) 件、空欄・非公開で除外 \(c.droppedEmpty + c.droppedModerated) 件）から \(c.opinions) 件の意見を取り出し、"
                        + "大分類 \(result.levels.first?.clusterIDs.count ?? 0)・小分類 \(result.levels.last?.clusterIDs.count ?? 0) に分けました。"
                        + (c.maskedSpans > 0 ? "個人情報 \(c.maskedSpans) か所を伏せ字にしました。" : ""),
                    "visibilityOptions": Visibility.allCases.map {
                        ["value": $0.rawValue, "label": $0.label, "selected": project.isPublished && $0 == project.visibility] as [String: Any]
                    },
                ]
                if !result.overview.isEmpty { done["overview"] = result.overview }
                let order = result.levels.flatMap(\.clusterIDs)
                let byID = Dictionary(uniqueKeysWithValues: result.clusters.map { ($0.id, $0) })
                done["clusters"] = order.compactMap { byID[$0] }.map { cluster -> [String: Any] in
                    var row: [String: Any] = [
                        "id": cluster.id, "project": id, "level": cluster.level, "label": cluster.label, "summary": cluster.summary,
                        "keywords": cluster.keywords.prefix(8).joined(separator: "、"), "comments": cluster.weightedCount,
                        "share": String(format: "%.1f%%", cluster.share * 100), "edited": cluster.edited,
                    ]
                    if let parent = cluster.parent.flatMap({ labels[$0] }) { row["parentLabel"] = parent }
                    return row
                }
                let edits = try listening.store.edits(project: id)
                done["hasEdits"] = !edits.isEmpty
                done["edits"] = edits.reversed().map { e -> [String: Any] in
                    ["at": shownDate(e.at), "login": e.login, "cluster": e.clusterID, "previousLabel": e.previousLabel, "label": e.label]
                }
                values["done"] = done
            }
            return Templates.page("listeningProject", title: project.title, context: values)
        } catch {
            return errorPage(context, APIError.from(error))
        }
    }
}

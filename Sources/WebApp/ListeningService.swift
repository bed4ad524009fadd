import Crypto
import Foundation
import HirobaCore
import Ingest
import JapaneseText
import LLM
import Listening
import Privacy
import Storage

/// The analysis settings of a listening project, stored as JSON with it.
struct ListeningSettings: Codable, Equatable {
    var commentColumn: String
    var attributeColumns: [String]
    var seed: UInt64
    /// Cluster counts per level, coarse first; nil chooses them from the data.
    var clusters: [Int]?
    /// Extraction and labels through the gateway's default chat model.
    var useModel: Bool
    /// Who started the run (the model calls are theirs, under the owner bureau's policy).
    var startedBy: String
    var startedByID: Int64?

    enum CodingKeys: String, CodingKey {
        case seed, clusters
        case commentColumn = "comment_column"
        case attributeColumns = "attribute_columns"
        case useModel = "use_model"
        case startedBy = "started_by"
        case startedByID = "started_by_id"
    }
}

/// Broad listening on the server: projects (an uploaded comment file, its settings, a background run with
/// progress, the outputs), staff edits of cluster labels and summaries, and publication by the access rules.
/// Each project's files live in `<listening dir>/<id>/`: the input, the pipeline's cache and `result.json`
/// (exactly as the run produced it), and `out/` with the outputs as shown (edits applied).
final class ListeningService: @unchecked Sendable {
    static let acceptedExtensions = ["csv", "tsv", "txt", "xlsx", "xlsm"]
    /// The files a project offers for download (edits applied).
    static let downloads = ListeningOutput.files

    let store: ListeningStore
    let audit: AuditLog
    let gateway: ModelGateway?
    let model: MeCabModel
    let directory: URL
    let jobs: ListeningJobs

    init(database: AppDatabase, audit: AuditLog, gateway: ModelGateway?, model: MeCabModel, directory: String) {
        store = ListeningStore(database: database)
        self.audit = audit
        self.gateway = gateway
        self.model = model
        self.directory = URL(fileURLWithPath: directory)
        jobs = ListeningJobs()
    }

    func folder(_ id: Int64) -> URL { directory.appendingPathComponent(String(id)) }
    func outputFolder(_ id: Int64) -> URL { folder(id).appendingPathComponent("out") }

    func inputFile(_ project: ListeningProject) -> URL {
        folder(project.id).appendingPathComponent("input." + (project.fileName as NSString).pathExtension.lowercased())
    }

    // MARK: access

    /// The project if `user` may read it; not found otherwise (an unreadable project is not revealed).
    func readable(_ id: Int64, user: UserAccount?) throws -> ListeningProject {
        guard let project = try store.project(id), ListeningStore.canRead(project, user: user) else {
            throw StorageError.listeningProjectNotFound(id)
        }
        return project
    }

    func editable(_ id: Int64, user: UserAccount) throws -> ListeningProject {
        let project = try readable(id, user: user)
        guard ListeningStore.canEdit(project, user: user) else {
            throw APIError(
                .forbidden, code: "forbidden", message: "この広聴プロジェクトを変更する権限がありません（所管課の職員と局管理者が変更できます）",
                fix: "Ask the owner section (\(project.owner.display)) or its bureau administrator.")
        }
        return project
    }

    static func projectID(_ raw: String) throws -> Int64 {
        guard let id = Int64(raw), id > 0 else {
            throw APIError.badRequest("広聴プロジェクトの番号が正しくありません: \(raw)", fix: "Use the numeric id from /api/v1/listening.", code: "bad_id")
        }
        return id
    }

    /// Whether runs of `user`'s bureau may use the gateway's default chat model (its name if so).
    func modelName(for placement: Placement) -> String? {
        guard let gateway, let name = gateway.configuration.defaultChatModel,
            gateway.configuration.policy(organization: placement.organization, bureau: placement.bureau).allows(name)
        else { return nil }
        return name
    }

    // MARK: create

    /// Validates an uploaded comment file (it must read as a table with a text column) and stores it as a
    /// new project owned by the uploader's section. Nothing is stored for a file that does not read.
    func create(upload path: String, fileName: String, title rawTitle: String?, user: UserAccount, address: String?) throws
        -> ListeningProject
    {
        let ext = (fileName as NSString).pathExtension.lowercased()
        guard Self.acceptedExtensions.contains(ext) else {
            throw APIError(
                .unsupportedMediaType, code: "unsupported_type", message: "意見ファイルは CSV・TSV・Excel（.xlsx）で送ってください: \(fileName)",
                fix: "Save the sheet as .xlsx or .csv (a header row first, one comment per row).")
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let table = try CommentTable.read(data: data, path: fileName)
        guard table.suggestedCommentColumn() != nil else { throw ListeningError.noTextColumn(fileName) }
        let title = try Self.title(rawTitle, fallback: "意見分析: " + (fileName as NSString).deletingPathExtension)
        let sha = SHA256.hash(data: data).withUnsafeBytes { Hex.string($0) }
        let project = try store.create(
            title: title, owner: user.placement, user: user, fileName: fileName, inputSHA256: sha, inputBytes: data.count)
        do {
            try FileManager.default.createDirectory(at: folder(project.id), withIntermediateDirectories: true)
            try data.write(to: inputFile(project), options: .atomic)
        } catch {
            try? store.delete(project.id)
            throw error
        }
        try audit.append(
            AuditEvent(
                actorID: user.id, actor: user.login, action: "listening.create", target: "\(project.id) \(title)",
                detail: "\(fileName) \(table.rows.count) 行 sha256:\(sha.prefix(16))", address: address))
        return project
    }

    static func title(_ raw: String?, fallback: String) throws -> String {
        let title = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty { return String(fallback.prefix(100)) }
        guard title.count <= 100, !title.contains(where: \.isNewline) else {
            throw APIError.badRequest("題名は改行なしの 100 文字以内にしてください", fix: "Shorten the title.", code: "bad_title")
        }
        return title
    }

    // MARK: columns

    struct ColumnChoice: Encodable {
        struct Column: Encodable {
            var name: String
            var sample: String
            var meanLength: Int
        }
        var columns: [Column]
        var rows: Int
        var suggestedComment: String?
        var suggestedAttributes: [String]
        var warnings: [String]

        enum CodingKeys: String, CodingKey {
            case columns, rows, warnings
            case suggestedComment = "suggested_comment_column"
            case suggestedAttributes = "suggested_attribute_columns"
        }
    }

    /// The file's columns with a sample and the suggested comment and attribute columns.
    func columns(_ project: ListeningProject) throws -> ColumnChoice {
        let table = try CommentTable.read(data: try Data(contentsOf: inputFile(project)), path: project.fileName)
        let comment = table.suggestedCommentColumn()
        var used = Set<Int>()
        if let comment { used.insert(comment) }
        if let c = comment, let id = table.suggestedIDColumn(excluding: c) { used.insert(id) }
        if let m = table.moderationColumn() { used.insert(m) }
        let attributes = table.suggestedAttributeColumns(excluding: used)
        let columns = table.header.indices.map { i -> ColumnChoice.Column in
            let sample = table.rows.lazy.compactMap { i < $0.count && !$0[i].isEmpty ? $0[i] : nil }.first ?? ""
            return ColumnChoice.Column(name: table.header[i], sample: String(sample.prefix(60)), meanLength: Int(table.meanLength(i).rounded()))
        }
        return ColumnChoice(
            columns: columns, rows: table.rows.count, suggestedComment: comment.map { table.header[$0] },
            suggestedAttributes: attributes.map { table.header[$0] }, warnings: table.warnings)
    }

    // MARK: run

    /// Checks the settings against the file and queues the analysis.
    func start(
        _ id: Int64, commentColumn: String, attributeColumns: [String], seed: UInt64?, clusters rawClusters: String?, useModel: Bool,
        user: UserAccount, address: String?
    ) throws -> ListeningProject {
        let project = try editable(id, user: user)
        guard project.status != .queued && project.status != .running else {
            throw APIError(.conflict, code: "already_running", message: "この広聴プロジェクトは分析中です", fix: "Wait until the run finishes.")
        }
        var clusters: [Int]? = nil
        if let raw = rawClusters?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            let parsed = raw.replacingOccurrences(of: "、", with: ",").split(separator: ",").map {
                Int($0.trimmingCharacters(in: .whitespaces))
            }
            guard parsed.allSatisfy({ $0 != nil }) else { throw ListeningError.badClusterCounts(raw) }
            clusters = parsed.map { $0! }
        }
        let options = ListeningOptions(seed: seed ?? 42, commentColumn: commentColumn, attributeColumns: attributeColumns, clusters: clusters)
        try options.validate()
        let table = try CommentTable.read(data: try Data(contentsOf: inputFile(project)), path: project.fileName)
        let selection = try table.select(commentColumn: commentColumn, attributeColumns: attributeColumns)
        if useModel && modelName(for: project.owner) == nil {
            throw APIError(
                .forbidden, code: "model_not_allowed", message: "この局では生成AIモデルを利用できません。モデルなしで分析してください",
                fix: "Untick the model option, or ask the platform administrator to allow a model for the bureau.")
        }
        let settings = ListeningSettings(
            commentColumn: selection.commentColumn, attributeColumns: selection.attributeColumns, seed: options.seed, clusters: clusters,
            useModel: useModel, startedBy: user.login, startedByID: user.id)
        try store.queue(id, settings: String(decoding: try JSONEncoder().encode(settings), as: UTF8.self))
        try audit.append(
            AuditEvent(
                actorID: user.id, actor: user.login, action: "listening.run", target: "\(id) \(project.title)",
                detail: "列「\(selection.commentColumn)」 属性 \(selection.attributeColumns.joined(separator: "・")) seed \(options.seed)"
                    + (clusters.map { " 分類数 \($0.map(String.init).joined(separator: ","))" } ?? "") + (useModel ? " モデル使用" : ""),
                address: address))
        enqueue(id)
        return try store.project(id)!
    }

    func enqueue(_ id: Int64) {
        Task { await jobs.enqueue(id, service: self) }
    }

    /// Queues the runs a stopped server left unfinished (each resumes from its cache).
    func resumeUnfinished() throws {
        for id in try store.unfinished() { enqueue(id) }
    }

    /// The analysis itself, on the listening executor (one run at a time). Failures end in the project's
    /// `failed` state with the message; nothing earlier is lost, and a re-run resumes from the cache.
    func run(_ id: Int64) async {
        do {
            guard let project = try store.project(id) else { return }
            let settings = try JSONDecoder().decode(ListeningSettings.self, from: Data(project.settings.utf8))
            try store.markRunning(id)
            let data = try Data(contentsOf: inputFile(project))
            let reporter = ProgressWriter(store: store, id: id)
            var assistant: ListeningAssistant? = nil
            if settings.useModel, let gateway, let name = modelName(for: project.owner) {
                let caller = GatewayCaller(
                    userID: settings.startedByID, login: settings.startedBy, organization: project.owner.organization,
                    bureau: project.owner.bureau, app: "listen")
                assistant = GatewayListeningAssistant(gateway: gateway, caller: caller, model: name)
            }
            let pipeline = ListeningPipeline(
                model: model, detector: PIIDetector(model: model), assistant: assistant,
                cache: ListeningCache(directory: folder(id).appendingPathComponent(".cache"), force: false),
                progress: { step, done, total in reporter.report(step, done, total) })
            let options = ListeningOptions(
                title: project.title, seed: settings.seed, commentColumn: settings.commentColumn,
                attributeColumns: settings.attributeColumns, clusters: settings.clusters)
            let result = try await pipeline.run(data: data, path: project.fileName, options: options)
            try ListeningOutput.json(result).write(to: folder(id).appendingPathComponent("result.json"), options: .atomic)
            try render(id)
            let summary: [String: Any] = [
                "comments": result.counts.comments, "opinions": result.counts.opinions, "rows": result.counts.rows,
                "dropped_empty": result.counts.droppedEmpty, "dropped_moderated": result.counts.droppedModerated,
                "duplicates": result.counts.duplicateComments, "masked_spans": result.counts.maskedSpans,
                "extraction_failures": result.counts.extractionFailures, "clusters": result.levels.map(\.clusterIDs.count),
            ]
            try store.finish(id, summary: String(decoding: try JSONSerialization.data(withJSONObject: summary, options: .sortedKeys), as: UTF8.self))
            try audit.append(
                AuditEvent(
                    actor: "system", action: "listening.done", target: "\(id) \(project.title)",
                    detail: "\(result.counts.comments) 件 → 意見 \(result.counts.opinions) 件 → 分類 \(result.levels.map { String($0.clusterIDs.count) }.joined(separator: "/"))"))
        } catch {
            let message = (error as? HirobaError).map { "\($0.message)（\($0.fix)）" } ?? APIError.from(error).message
            _ = try? store.fail(id, error: message)
            _ = try? audit.append(AuditEvent(actor: "system", action: "listening.failed", target: "\(id)", detail: message))
        }
    }

    // MARK: outputs and edits

    /// The run's result with the staff edits in force applied (an edit applies while the cluster still
    /// carries the label the analysis gave it when it was edited).
    func editedResult(_ id: Int64) throws -> ListeningResult {
        let path = folder(id).appendingPathComponent("result.json")
        var result = try ListeningOutput.decode(try Data(contentsOf: path), path: path.path)
        let edits = try store.currentEdits(project: id)
        for i in result.clusters.indices {
            guard let edit = edits[result.clusters[i].id], edit.baseLabel == result.clusters[i].label else { continue }
            result.clusters[i].label = edit.label
            result.clusters[i].summary = edit.summary
            result.clusters[i].edited = true
        }
        return result
    }

    /// What the project page and the clusters API show, without the opinions and comments: a page view
    /// reads this small file instead of decoding a result.json that runs to ~100 MB at 100,000 comments.
    struct ClusterView: Codable {
        var overview: String
        var counts: ListeningCounts
        var levels: [ListeningLevel]
        var clusters: [ListeningCluster]
    }

    static let clusterViewFile = "clusters.json"

    /// Writes the outputs as shown (report, opinions CSV/XLSX, result JSON) with the edits applied, and the
    /// cluster view.
    func render(_ id: Int64) throws {
        let result = try editedResult(id)
        try ListeningOutput.write(result, to: outputFolder(id))
        let view = ClusterView(overview: result.overview, counts: result.counts, levels: result.levels, clusters: result.clusters)
        try JSONEncoder().encode(view).write(to: outputFolder(id).appendingPathComponent(Self.clusterViewFile), options: .atomic)
    }

    /// The clusters as shown (edits applied) of a finished project.
    func clusterView(_ id: Int64) throws -> ClusterView {
        let path = outputFolder(id).appendingPathComponent(Self.clusterViewFile)
        if !FileManager.default.fileExists(atPath: path.path) { try render(id) }
        do {
            return try JSONDecoder().decode(ClusterView.self, from: Data(contentsOf: path))
        } catch {
            throw ListeningError.badResult(path.path, reason: "\(error)")
        }
    }

    /// Renames a cluster and/or rewrites its summary; kept with the previous text, audited, and the outputs
    /// re-rendered.
    /// A nil summary keeps the current one.
    func editCluster(_ id: Int64, cluster: String, label rawLabel: String, summary rawSummary: String?, user: UserAccount, address: String?)
        throws -> ListeningCluster
    {
        let project = try editable(id, user: user)
        guard project.status == .done else {
            throw APIError(.conflict, code: "not_done", message: "分析が完了してから編集してください", fix: "Wait until the run finishes.")
        }
        let label = rawLabel.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !label.isEmpty, label.count <= 100, !label.contains(where: \.isNewline) else {
            throw APIError.badRequest("分類名は改行なしの 1〜100 文字で入力してください", fix: "Shorten or fill in the label.", code: "bad_label")
        }
        let path = folder(id).appendingPathComponent("result.json")
        let original = try ListeningOutput.decode(try Data(contentsOf: path), path: path.path)
        guard let base = original.clusters.first(where: { $0.id == cluster }) else {
            throw APIError(.notFound, code: "not_found", message: "分類が見つかりません: \(cluster)", fix: "Use a cluster id from the project's cluster list.")
        }
        let current = try clusterView(id).clusters.first { $0.id == cluster } ?? base
        let summary = (rawSummary ?? current.summary).trimmingCharacters(in: .whitespacesAndNewlines)
        guard summary.count <= 2_000 else {
            throw APIError.badRequest("要約は 2,000 文字以内にしてください", fix: "Shorten the summary.", code: "bad_summary")
        }
        guard label != current.label || summary != current.summary else {
            throw APIError.badRequest("変更がありません", fix: "Change the label or the summary before saving.", code: "unchanged")
        }
        try store.addEdit(
            project: id, cluster: cluster, baseLabel: base.label, label: label, summary: summary, previousLabel: current.label,
            previousSummary: current.summary, user: user)
        try audit.append(
            AuditEvent(
                actorID: user.id, actor: user.login, action: "listening.cluster.edit", target: "\(id) \(cluster)",
                detail: "「\(current.label)」→「\(label)」" + (summary != current.summary ? " 要約を変更" : ""), address: address))
        try render(id)
        return try clusterView(id).clusters.first { $0.id == cluster } ?? base
    }

    /// Publishes to `visibility` or withdraws to a draft (nil). Publishing to citizens or to every
    /// organisation needs a bureau administrator of the owner bureau (or a platform administrator).
    func publish(_ id: Int64, visibility: Visibility?, user: UserAccount, address: String?) throws -> ListeningProject {
        let project = try editable(id, user: user)
        if let visibility {
            guard project.status == .done else {
                throw APIError(.conflict, code: "not_done", message: "分析が完了してから公開してください", fix: "Wait until the run finishes.")
            }
            if visibility == .public || visibility == .all,
                !(user.has(.platformAdmin) || (user.has(.bureauAdmin) && user.placement.bureauID == project.owner.bureauID))
            {
                throw APIError(
                    .forbidden, code: "forbidden", message: "「\(visibility.label)」での公開は局管理者が行います",
                    fix: "Ask the bureau administrator of \(project.owner.bureau) to publish it.")
            }
        }
        try store.publish(id, visibility: visibility)
        try audit.append(
            AuditEvent(
                actorID: user.id, actor: user.login, action: visibility == nil ? "listening.unpublish" : "listening.publish",
                target: "\(id) \(project.title)", detail: visibility?.label, address: address))
        return try store.project(id)!
    }

    func delete(_ id: Int64, user: UserAccount, address: String?) throws -> ListeningProject {
        let project = try editable(id, user: user)
        guard project.status != .running && project.status != .queued else {
            throw APIError(.conflict, code: "already_running", message: "分析中のプロジェクトは削除できません", fix: "Wait until the run finishes.")
        }
        try store.delete(id)
        try? FileManager.default.removeItem(at: folder(id))
        try audit.append(
            AuditEvent(actorID: user.id, actor: user.login, action: "listening.delete", target: "\(id) \(project.title)", address: address))
        return project
    }

    /// One output file of a finished project (edits applied), for a reader.
    func file(_ id: Int64, name: String, user: UserAccount?) throws -> (project: ListeningProject, path: URL) {
        let project = try readable(id, user: user)
        guard Self.downloads.contains(name) else {
            throw APIError(.notFound, code: "not_found", message: "そのファイルはありません: \(name)", fix: "Use one of \(Self.downloads.joined(separator: ", ")).")
        }
        guard project.status == .done else {
            throw APIError(.conflict, code: "not_done", message: "分析が完了していません", fix: "Wait until the run finishes.")
        }
        let path = outputFolder(id).appendingPathComponent(name)
        if !FileManager.default.fileExists(atPath: path.path) { try render(id) }
        return (project, path)
    }
}

/// Writes a run's progress to its project row: at each new step, and at most twice a second within one.
final class ProgressWriter: @unchecked Sendable {
    let store: ListeningStore
    let id: Int64
    private let lock = NSLock()
    private var last = (step: "", at: Date.distantPast)

    init(store: ListeningStore, id: Int64) {
        self.store = store
        self.id = id
    }

    func report(_ step: String, _ done: Int, _ total: Int) {
        let now = Date()
        let due = lock.withLock {
            guard step != last.step || now.timeIntervalSince(last.at) >= 0.5 || done == total else { return false }
            last = (step, now)
            return true
        }
        if due { try? store.progress(id, stage: step, done: done, total: total) }
    }
}

/// The listening runs, one at a time (a 100,000-comment run takes ~1 GB), each on its own serial executor
/// so the CPU-heavy steps never occupy the threads that serve requests.
actor ListeningJobs {
    private var pending: [Int64] = []
    private var working = false
    private let executor = SerialQueueExecutor(label: "hiroba.listening")

    func enqueue(_ id: Int64, service: ListeningService) {
        guard !pending.contains(id) else { return }
        pending.append(id)
        guard !working else { return }
        working = true
        Task(executorPreference: executor) { await self.drain(service: service) }
    }

    private func next() -> Int64? {
        if pending.isEmpty {
            working = false
            return nil
        }
        return pending.removeFirst()
    }

    private func drain(service: ListeningService) async {
        while let id = next() {
            await withTaskExecutorPreference(executor) { await service.run(id) }
        }
    }
}

/// A task executor on one dispatch queue.
final class SerialQueueExecutor: TaskExecutor, @unchecked Sendable {
    private let queue: DispatchQueue

    init(label: String) { queue = DispatchQueue(label: label, qos: .utility) }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}

import ArgumentParser
import Foundation
import HirobaCore
import JapaneseText
import LLM
import Storage
import WebApp

/// Where the model configuration comes from, for every command that may call a model.
struct ModelOptions: ParsableArguments {
    @Option(name: .customLong("models"), help: "Model configuration file (YAML; env HIROBA_MODELS). None: extractive answers only.")
    var modelsPath: String? = ProcessInfo.processInfo.environment["HIROBA_MODELS"].flatMap { $0.isEmpty ? nil : $0 }

    func configuration() throws -> ModelConfiguration? {
        try modelsPath.map { try ModelConfiguration.load(path: $0) }
    }
}

/// Runs async work from a synchronous command (ArgumentParser's root is synchronous here).
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: Result<T, Error>?
    Task {
        do { result = .success(try await body()) } catch { result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try result!.get()
}

/// The gateway the CLI uses: usage recorded in the same database as the server's, the operator as caller.
struct CLIGateway {
    let registry: ModelRegistry
    let gateway: ModelGateway

    init(configuration: ModelConfiguration, database: AppDatabase) throws {
        registry = try ModelRegistry(configuration: configuration)
        gateway = ModelGateway(
            registry: registry, recorder: DatabaseUsageRecorder(usage: UsageStore(database: database), audit: try AuditLog(database: database)),
            privacy: try PrivacyGuard.standard())
    }

    static var caller: GatewayCaller {
        GatewayCaller(login: "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "operator")", app: "cli")
    }
}

struct AskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "資料に基づいて質問に答える (grounded answer with citations; extractive without a model).")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var models: ModelOptions
    @Argument(help: "The question.") var question: String
    @Option(help: "Only use this collection (repeatable).") var collection: [String] = []
    @Option(help: "Number of sources.") var k: Int = 5
    @Option(help: "Chat model name from the model configuration (default: defaults.chat).") var model: String?
    @Flag(help: "Extractive answer even when a model is configured.") var extract = false
    @Flag(help: "JSON on stdout.") var json = false

    func run() throws {
        let db = try AppDatabase(path: database.db)
        let store = KnowledgeStore(database: db, model: try MeCabModel.shared())
        let cli = try models.configuration().map { try CLIGateway(configuration: $0, database: db) }
        let engine = AnswerEngine(store: store, gateway: cli?.gateway, model: try MeCabModel.shared())
        let request = AnswerEngine.Request(question: question, collections: collection, k: k, model: model, extractOnly: extract)
        let streaming = !json
        let outcome = try runBlocking {
            defer { if let cli { Task { await cli.registry.shutdown() } } }
            var sources: [AnswerSource] = []
            var answer: GroundedAnswer?
            var notices: [String] = []
            for try await event in engine.ask(request, caller: CLIGateway.caller) {
                switch event {
                case .sources(let s): sources = s
                case .started(let mode, let model):
                    if streaming { FileHandle.standardOutput.write(Data((mode == .model ? "回答（\(model ?? "")）:\n" : "回答（抜粋）:\n").utf8)) }
                case .notice(let text):
                    notices.append(text)
                    if streaming { printError("注意: \(text)") }
                case .delta(let piece):
                    // Unbuffered, so the answer appears as it is generated.
                    if streaming { FileHandle.standardOutput.write(Data(piece.utf8)) }
                case .done(let a): answer = a
                }
            }
            if let cli { await cli.registry.shutdown() }
            return (sources, answer!, notices)
        }
        let (sources, answer, notices) = outcome
        if json {
            print(jsonString(Self.json(answer, sources: sources, notices: notices)))
            return
        }
        print("\n")
        let cited = answer.cited.isEmpty ? [] : sources.filter { answer.cited.contains($0.number) }
        if !cited.isEmpty {
            print("出典:")
            for s in cited { print("  [\(s.number)] \(s.citation)  (\(s.collection), chunk \(s.chunkID))") }
        }
        if let usage = answer.usage {
            print(String(format: "トークン: %d + %d%@  費用: %.2f 円", usage.promptTokens, usage.completionTokens, usage.reported ? "" : "（推定）", answer.cost ?? 0))
        }
    }

    static func json(_ answer: GroundedAnswer, sources: [AnswerSource], notices: [String]) -> [String: Any] {
        var out: [String: Any] = [
            "mode": answer.mode.rawValue, "answer": answer.text, "answered": answer.answered, "cited": answer.cited,
            "sources": sources.map {
                [
                    "number": $0.number, "chunk_id": $0.chunkID, "document_id": $0.documentID, "collection": $0.collection,
                    "title": $0.title, "locator": $0.locator, "cited": answer.cited.contains($0.number),
                ] as [String: Any]
            },
            "notices": notices,
        ]
        if let model = answer.model { out["model"] = model }
        if let usage = answer.usage {
            out["usage"] = ["prompt_tokens": usage.promptTokens, "completion_tokens": usage.completionTokens, "reported": usage.reported]
            out["cost_yen"] = answer.cost ?? 0
        }
        return out
    }
}

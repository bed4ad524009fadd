import Foundation
import LLM
import Listening
import Storage

/// The model side of a listening run from the CLI: the gateway built from `--models`, the assistant
/// that extracts opinions and writes labels through it, and the embedder when the configuration has one.
final class ListeningModelSession {
    let assistant: ListeningAssistant?
    let embedder: ListeningEmbedder?
    private let registry: ModelRegistry

    private init(registry: ModelRegistry, assistant: ListeningAssistant?, embedder: ListeningEmbedder?) {
        self.registry = registry
        self.assistant = assistant
        self.embedder = embedder
    }

    /// Nil without `--models` (the offline pipeline).
    /// Model calls are recorded (usage, audit log) in the `--db` database like every other gateway call.
    static func make(_ options: ModelOptions, database: DatabaseOptions, batchSize: Int) throws -> ListeningModelSession? {
        guard let configuration = try options.configuration() else { return nil }
        let cli = try CLIGateway(configuration: configuration, database: try AppDatabase(path: database.db))
        var caller = CLIGateway.caller
        caller.app = "listen"
        let assistant = configuration.defaultChatModel.map {
            GatewayListeningAssistant(gateway: cli.gateway, caller: caller, model: $0, batchSize: batchSize)
                as ListeningAssistant
        }
        let embedder = configuration.embeddingModel.map {
            GatewayListeningEmbedder(gateway: cli.gateway, caller: caller, model: $0) as ListeningEmbedder
        }
        return ListeningModelSession(registry: cli.registry, assistant: assistant, embedder: embedder)
    }

    func shutdown() {
        let registry = self.registry
        _ = try? runBlocking { await registry.shutdown() }
    }
}

import ArgumentParser
import Foundation
import HirobaCore
import LLM
import Storage

/// Embeds the chunks that have no vector from the configured embedding model (new chunks, or every chunk
/// after the model changed) — the explicit step hybrid retrieval needs.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "埋め込みベクトルを作る (embed chunks for hybrid retrieval with defaults.embedding).")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var models: ModelOptions
    @Option(help: "Only this collection.") var collection: String?
    @Option(help: "Chunks per embedding call.") var batch: Int = 16
    @Option(help: "Characters of each chunk sent (title first).") var maxCharacters: Int = 1000

    func validate() throws {
        guard (1...256).contains(batch) else { throw ValidationError("--batch must be 1–256") }
        guard maxCharacters >= 50 else { throw ValidationError("--max-characters must be at least 50") }
    }

    func run() throws {
        guard let configuration = try models.configuration() else {
            throw ModelConfigurationError(
                message: "モデル設定がありません", fix: "Pass --models FILE (or set HIROBA_MODELS) with defaults.embedding.")
        }
        guard let model = configuration.embeddingModel else {
            throw ModelConfigurationError(
                message: "埋め込みモデル（defaults.embedding）が設定されていません", fix: "Add an embedding model and name it in defaults.embedding.")
        }
        let db = try AppDatabase(path: database.db)
        let store = VectorStore(database: db)
        let cli = try CLIGateway(configuration: configuration, database: db)
        let (batch, maxCharacters, collection) = (self.batch, self.maxCharacters, self.collection)
        let started = Date()
        let embedded = try runBlocking {
            var done = 0
            defer { if done > 0 { printError("") } }
            do {
                while true {
                    let pending = try store.pending(model: model, collection: collection, limit: batch)
                    if pending.isEmpty { break }
                    let texts = pending.map { String($0.text.prefix(maxCharacters)) }
                    let (vectors, _) = try await cli.gateway.embed(texts, caller: CLIGateway.caller)
                    try store.store(zip(pending, vectors).map { ($0.chunkID, $1) }, model: model)
                    done += pending.count
                    FileHandle.standardError.write(Data("\r埋め込み: \(done) 区分".utf8))
                }
            } catch {
                await cli.registry.shutdown()
                throw error
            }
            await cli.registry.shutdown()
            return done
        }
        let total = try store.counts()[model] ?? 0
        print(
            jsonString([
                "model": model, "embedded": embedded, "vectors": total, "seconds": (Date().timeIntervalSince(started) * 100).rounded() / 100,
            ]))
    }
}

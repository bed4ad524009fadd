import ArgumentParser
import Foundation
import HirobaCore

/// `hiroba` — the CLI. Every subcommand shares the library code the server uses.
public struct HirobaCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "hiroba",
        abstract: "広場 Hiroba — 自治体のための日本語生成AI基盤 (Japanese-first municipal AI platform).",
        subcommands: [
            IngestCommand.self, ExtractCommand.self, SearchCommand.self, CollectionsCommand.self, DocumentsCommand.self,
            DeleteCommand.self, OptimizeCommand.self, ServeCommand.self, UsersCommand.self, AccessCommand.self, AuditCommand.self,
            AskCommand.self, EmbedCommand.self, ProofreadCommand.self, PIICommand.self, ListenCommand.self, EvalCommand.self, BenchCommand.self, TrainCommand.self,
        ]
    )

    public init() {}

    /// Runs the CLI, printing Hiroba errors as `error:` / `fix:` lines instead of stack traces.
    public static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as HirobaError {
            FileHandle.standardError.write(Data("error: \(error.message)\nfix: \(error.fix)\n".utf8))
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }
}

/// Options every command that touches the store takes.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (env HIROBA_DB).")
    var db: String = ProcessInfo.processInfo.environment["HIROBA_DB"] ?? "./var/hiroba.sqlite"
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

func jsonString(_ object: Any) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    return String(decoding: data, as: UTF8.self)
}

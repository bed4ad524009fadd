import Foundation
import JapaneseText
import Storage

/// Shared helpers for the test targets: the repository root, temporary databases, the shared data folder.
public enum TestEnvironment {
    /// The repository root (found from this file's path, so tests run from any working directory).
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    public static var demoDirectory: URL { repositoryRoot.appendingPathComponent("demo") }

    /// A file of Tests/IngestTests/Fixtures (Office and PDF files made by scripts/make-fixtures.sh).
    public static func fixture(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("Tests/IngestTests/Fixtures").appendingPathComponent(name)
    }

    /// `../shared/data` beside the repository, or nil when absent (tests then skip with a message).
    public static var sharedData: URL? {
        let url = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    public static func model() throws -> MeCabModel { try MeCabModel.shared() }

    /// A fresh directory removed at process exit by the OS's tmp cleaning; each test gets its own.
    public static func temporaryDirectory() -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("hiroba-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A store over a new database file.
    public static func makeStore(maxSegments: Int = 24) throws -> (KnowledgeStore, URL) {
        let dir = temporaryDirectory()
        let db = try AppDatabase(path: dir.appendingPathComponent("test.sqlite").path)
        return (KnowledgeStore(database: db, model: try model(), maxSegments: maxSegments), dir)
    }

    /// Writes a file (creating folders) and returns its path.
    @discardableResult
    public static func write(_ text: String, to name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}

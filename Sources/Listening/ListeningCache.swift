import Crypto
import Foundation

/// Step results kept under the output folder's `.cache/`, named by the SHA-256 of everything the step's
/// result depends on (input bytes, parameters, model, prompt hashes, upstream keys). A rerun with the
/// same inputs reuses them; an interrupted model run resumes from the last finished batch; `force` ignores
/// what is there and rewrites it.
public struct ListeningCache: Sendable {
    public let directory: URL?
    public let force: Bool

    public init(directory: URL?, force: Bool = false) {
        self.directory = directory
        self.force = force
    }

    /// No caching (evaluation, tests).
    public static let disabled = ListeningCache(directory: nil)

    public static func key(_ parts: [String]) -> String {
        var hasher = SHA256()
        for part in parts {
            hasher.update(data: Data(part.utf8))
            hasher.update(data: Data([0]))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    private func url(_ step: String, _ key: String) -> URL? {
        directory?.appendingPathComponent("\(step)-\(key.prefix(24)).json")
    }

    /// The cached value, or nil (no cache, forced, absent). A file that no longer decodes is an error:
    /// silently recomputing could hide a disk problem, and `--force` is the explicit way out.
    public func load<T: Decodable>(_ type: T.Type, step: String, key: String) throws -> T? {
        guard !force, let url = url(step, key), FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
        } catch {
            throw ListeningError.cacheUnreadable(url.path, reason: "\(error)")
        }
    }

    public func store<T: Encodable>(_ value: T, step: String, key: String) throws {
        guard let directory, let url = url(step, key) else { return }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Written to a temporary name and moved, so a run killed mid-write leaves no half file behind.
        let temporary = url.appendingPathExtension("tmp")
        try encoder.encode(value).write(to: temporary)
        _ = try? FileManager.default.removeItem(at: url)
        try FileManager.default.moveItem(at: temporary, to: url)
    }
}

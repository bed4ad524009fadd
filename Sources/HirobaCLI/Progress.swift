import Foundation

/// Progress on stderr for long work: count, rate and ETA, redrawn at most a few times a second.
final class Progress: @unchecked Sendable {
    let label: String
    let total: Int?
    let unit: String
    private let start = Date()
    private var lastDraw = Date.distantPast
    private(set) var count = 0
    private(set) var bytes = 0
    let totalBytes: Int?
    let enabled: Bool

    init(_ label: String, total: Int?, unit: String = "件", enabled: Bool = true, totalBytes: Int? = nil) {
        self.label = label
        self.total = total
        self.unit = unit
        self.enabled = enabled
        self.totalBytes = totalBytes
    }

    func advance(by n: Int = 1, bytes: Int = 0) {
        count += n
        self.bytes += bytes
        let now = Date()
        if now.timeIntervalSince(lastDraw) > 0.5 {
            lastDraw = now
            draw(final: false)
        }
    }

    func finish() { draw(final: true) }

    private func draw(final: Bool) {
        guard enabled else { return }
        let elapsed = max(Date().timeIntervalSince(start), 0.001)
        let rate = Double(count) / elapsed
        var line = "\r\(label): \(count)"
        if let total { line += "/\(total)" }
        line += String(format: " %@", unit)
        if let totalBytes {
            // Byte-based rate and ETA: one large PDF weighs more than many small notes.
            let mbps = Double(bytes) / 1_048_576 / elapsed
            line += String(format: "  %.1f/%.1f MB  %.1f MB/s", Double(bytes) / 1_048_576, Double(totalBytes) / 1_048_576, mbps)
            if !final, bytes > 0 { line += String(format: "  ETA %.0fs", Double(totalBytes - bytes) / (Double(bytes) / elapsed)) }
        } else {
            if let total, !final, rate > 0 { line += String(format: "  ETA %.0fs", Double(total - count) / rate) }
            line += String(format: "  %.0f %@/s", rate, unit)
        }
        line += String(format: "  %.1fs", elapsed)
        FileHandle.standardError.write(Data((line + (final ? "\n" : "")).utf8))
    }
}

extension Progress {
    /// One line per pipeline step on stderr, redrawn in place: 「意見の抽出: 1200/5000」.
    func report(step: String, done: Int, total: Int) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(label) \(step): \(done)/\(total)".utf8))
        if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

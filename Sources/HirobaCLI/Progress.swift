import Foundation

/// Progress on stderr for long work: count, rate and ETA, redrawn at most a few times a second.
final class Progress {
    let label: String
    let total: Int?
    let unit: String
    private let start = Date()
    private var lastDraw = Date.distantPast
    private(set) var count = 0
    let enabled: Bool

    init(_ label: String, total: Int?, unit: String = "件", enabled: Bool = true) {
        self.label = label
        self.total = total
        self.unit = unit
        self.enabled = enabled
    }

    func advance(by n: Int = 1) {
        count += n
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
        if let total {
            line += "/\(total)"
            if !final, rate > 0 { line += String(format: "  ETA %.0fs", Double(total - count) / rate) }
        }
        line += String(format: "  %.0f %@/s  %.1fs", rate, unit, elapsed)
        FileHandle.standardError.write(Data((line + (final ? "\n" : "")).utf8))
    }
}

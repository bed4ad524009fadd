import Foundation
import JapaneseText
import Privacy

/// The gateway's personal-data filter, over the Privacy target's detector and masking session.
public struct PrivacyGuard: PersonalDataFilter {
    let detector: PIIDetector
    /// Kinds masked (all by default).
    let kinds: Set<PIIKind>

    public init(detector: PIIDetector, kinds: Set<PIIKind> = Set(PIIKind.allCases)) {
        self.detector = detector
        self.kinds = kinds
    }

    /// The standard filter on the shared MeCab model.
    public static func standard(model: MeCabModel? = nil) throws -> PrivacyGuard {
        PrivacyGuard(detector: try model.map(PIIDetector.init(model:)) ?? PIIDetector())
    }

    public func makeSession() -> any PersonalDataSession { Session(detector: detector, kinds: kinds) }

    /// One call's masking: every text masked through one session (shared numbering, names seen once masked
    /// everywhere); the stream restorer is made on the first restore, after all masking.
    final class Session: PersonalDataSession, @unchecked Sendable {
        private let lock = NSLock()
        private let detector: PIIDetector
        private let kinds: Set<PIIKind>
        private var session: PIIMaskingSession
        private var restorer: PIIStreamRestorer?

        init(detector: PIIDetector, kinds: Set<PIIKind>) {
            self.detector = detector
            self.kinds = kinds
            session = PIIMaskingSession(detector: detector, kinds: kinds)
        }

        func detect(_ text: String) throws -> [String: Int] {
            var counts: [String: Int] = [:]
            for entity in try detector.detect(text, kinds: kinds) { counts[entity.kind.label, default: 0] += 1 }
            return counts
        }

        func mask(_ text: String) throws -> String {
            try lock.withLock { try session.mask(text).text }
        }

        func restore(streamed piece: String, final: Bool) -> String {
            lock.withLock {
                if restorer == nil { restorer = session.makeStreamRestorer() }
                var out = restorer!.feed(piece)
                if final { out += restorer!.finish() }
                return out
            }
        }
    }
}

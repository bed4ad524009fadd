/// Hashed features of a name candidate: a template id and a few values folded into one 64-bit key.
///
/// No feature carries the candidate's own spelling. Its characters appear only as the last one (kanji, 郎 子
/// 男) or the last two (katakana words of four or more, …ソン …スキー), which are endings shared by many
/// names; words around it (neighbouring tokens, words of the sentence) are kept by the trainer only when
/// they occur in several articles, so rare words — other names — never become weights.
struct NameFeatures {
    var keys: [UInt64] = []

    @inline(__always) static func mix(_ h: UInt64, _ v: UInt32) -> UInt64 {
        (h ^ UInt64(v)) &* 0x100_0000_01b3
    }

    /// SplitMix64's finaliser, so nearby inputs land far apart.
    @inline(__always) static func finish(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static let seed: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always) mutating func add(_ template: Template, _ a: UInt32 = 0, _ b: UInt32 = 0, _ c: UInt32 = 0) {
        keys.append(Self.finish(Self.mix(Self.mix(Self.mix(Self.mix(Self.seed, template.rawValue), a), b), c)))
    }

    /// A word (folded scalars) as one value.
    @inline(__always) static func word(_ t: ScannedText, _ range: Range<Int>) -> UInt32 {
        var h = seed
        for i in range { h = mix(h, t[i]) }
        let f = finish(h)
        return UInt32(truncatingIfNeeded: f ^ (f >> 32))
    }

    enum Template: UInt32 {
        case shapeLength = 1, shapeTokens, firstPOS, lastPOS, posSequence, unknownPattern, lexiconFlags, lastChar, lastTwo
        case kanjiFlags, katakanaFlags, katakanaParts, previousWord, previousPOS, previousWord2, previousPOS2, nextWord, nextPOS
        case nextWord2, nextPOS2, nextBigram, charClasses, ruleStrength, ruleFlags, contextFlags, sentenceWord, sentenceFlags
        case previousNextPOS, unknownNextWord, strengthContext, source, wordCost, latinFlags, mixedFlags, predicate
    }
}

/// The shape of a candidate: the templates are conjoined with it, since context means different things for a
/// katakana word and a kanji span.
enum CandidateShape: UInt32 {
    case katakana = 1, katakanaJoined, kanji
    /// A name the rules accepted, scored to drop the doubtful ones: its own weights.
    case rule
    /// Capitalised Latin words (Farris, Michael S. Maurer).
    case latin
    /// A kanji surname and a katakana given name (桐島ココ).
    case mixed
}

/// Membership of BMP scalars in one bit each: a pre-check before hashing whole words into a `Set`.
struct ScalarBitmap: Sendable {
    private var bits = [UInt64](repeating: 0, count: 1024)

    init<S: Sequence>(_ scalars: S) where S.Element == UInt32 {
        for v in scalars where v < 0x10000 { bits[Int(v >> 6)] |= 1 << (v & 63) }
    }

    @inline(__always) func contains(_ v: UInt32) -> Bool {
        v < 0x10000 && bits[Int(v >> 6)] & (1 << (v & 63)) != 0
    }
}

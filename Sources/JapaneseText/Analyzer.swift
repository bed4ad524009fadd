/// Which BM25 field a term belongs to. Words and character bigrams are scored separately and combined.
public enum TermField: UInt8, Sendable, CaseIterable {
    /// MeCab content words by base form (plus bigram fallback for unknown words and long runs).
    case word = 0
    /// Character bigrams over the normalised text (never across spaces or punctuation).
    case gram = 1
}

/// Whether text is being indexed or is a user's query. Queries also drop question words.
public enum AnalysisRole: Sendable { case index, query }

/// Per-thread Japanese analyzer: normalised UTF-8 in, (field, term bytes) out, with no String per token.
///
/// Word terms are the base form of content words with three folds applied so that spelling variants meet:
/// Japanese numerals to Arabic digits (第二条 = 第2条), 送り仮名 dropped from kanji compounds
/// (申し込み = 申込み = 申込), and the trailing 長音 of long katakana words (サーバー = サーバ).
public final class Analyzer {
    private let tagger: MeCabTagger
    private let scratch: UnsafeMutablePointer<UInt8>
    private let scratchCapacity = 1024
    /// Katakana / Latin runs at least this many characters long also index their bigrams as words.
    public var longRunCharacters = 5

    /// Question words dropped from queries (they appear in the question, not in the answer passage).
    static let questionWords: Set<String> = [
        "どこ", "何", "なに", "なん", "いつ", "誰", "だれ", "どれ", "どの", "どう", "どんな", "なぜ", "何故",
        "いくつ", "いくら", "どちら", "どっち", "どなた", "如何", "どのよう", "どういう", "何処", "何時",
    ]

    public init(model: MeCabModel) throws {
        tagger = try model.makeTagger()
        scratch = .allocate(capacity: scratchCapacity)
    }

    deinit { scratch.deallocate() }

    /// Normalises and analyzes a String (queries, tests). Indexing paths call the byte-level method.
    public func analyze(
        _ text: String, role: AnalysisRole, _ emit: (TermField, UnsafeBufferPointer<UInt8>) -> Void
    ) {
        var bytes = Array(TextNormalizer.normalize(text).utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            analyze(normalized: UnsafeBufferPointer(buffer), role: role, emit)
        }
    }

    /// Terms as Strings, for queries, tests and explanations.
    public func terms(_ text: String, role: AnalysisRole) -> [(field: TermField, term: String)] {
        var out: [(TermField, String)] = []
        analyze(text, role: role) { field, bytes in out.append((field, String(decoding: bytes, as: UTF8.self))) }
        return out
    }

    /// Surface forms of the query's content words, for highlighting matches in snippets.
    public func keywords(_ text: String) -> [String] {
        var collector = KeywordCollector()
        var bytes = Array(TextNormalizer.normalize(text).utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            tagger.parse(UnsafeBufferPointer(buffer)) { collector.visit($0, self) }
        }
        return collector.finish()
    }

    /// A query's terms (`terms(_:role: .query)`) and its keywords (`keywords(_:)`) from one MeCab pass.
    public func queryTermsAndKeywords(_ text: String) -> (terms: [(field: TermField, term: String)], keywords: [String]) {
        var terms: [(TermField, String)] = []
        var collector = KeywordCollector()
        var bytes = Array(TextNormalizer.normalize(text).utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            analyze(normalized: UnsafeBufferPointer(buffer), role: .query, observe: { collector.visit($0, self) }) { field, bytes in
                terms.append((field, String(decoding: bytes, as: UTF8.self)))
            }
        }
        return (terms, collector.finish())
    }

    /// Builds keywords node by node. A run of numerals is one keyword, with 第 and a counter such as 条 or 項
    /// when they surround it (第三十条): single numerals like 三 or 十 would light up every number in the text.
    struct KeywordCollector {
        var out: [String] = []
        var number = ""
        /// The previous node was 第 (which opens a numbered reference).
        var afterDai = false

        mutating func flushNumber() {
            if number.count > 1 { out.append(number) }
            number = ""
        }

        /// 第 in UTF-8.
        static let dai: [UInt8] = [0xE7, 0xAC, 0xAC]

        mutating func visit(_ node: MeCabNode, _ analyzer: Analyzer) {
            // Strings only for the nodes kept: most are particles and punctuation.
            let bytes = node.surface
            let previousWasDai = afterDai
            afterDai = bytes.elementsEqual(Self.dai)
            if node.posID == IPAdicPOS.number {
                if number.isEmpty && previousWasDai { number = "第" }
                number += String(decoding: bytes, as: UTF8.self)
                return
            }
            if !number.isEmpty {
                let surface = String(decoding: bytes, as: UTF8.self)
                if Analyzer.counters.contains(surface) {
                    number += surface
                    flushNumber()
                    return
                }
                flushNumber()
            }
            guard IPAdicPOS.isContent(node.posID) || node.isUnknown, !analyzer.isQuestionWord(bytes) else { return }
            let surface = String(decoding: bytes, as: UTF8.self)
            // Short kana inflections (し, さ, する) would light up every sentence.
            if surface.count <= 2, surface.unicodeScalars.allSatisfy({ CharClass.of($0.value) == .hiragana }) { return }
            out.append(surface)
        }

        mutating func finish() -> [String] {
            flushNumber()
            return out
        }
    }

    /// Counters that close a numbered reference in keywords.
    static let counters: Set<String> = ["条", "項", "号", "章", "節", "款", "目", "編"]

    /// Analyzes already-normalised UTF-8 (see `TextNormalizer`).
    public func analyze(
        normalized bytes: UnsafeBufferPointer<UInt8>, role: AnalysisRole, observe: ((MeCabNode) -> Void)? = nil,
        _ emit: (TermField, UnsafeBufferPointer<UInt8>) -> Void
    ) {
        guard bytes.count > 0 else { return }
        var numberStart = -1
        var numberEnd = -1
        // Byte ranges of question words: no bigram of a query may touch them.
        var excluded: [Range<Int>] = []

        tagger.parse(bytes) { node in
            observe?(node)
            if node.posID == IPAdicPOS.number {
                if numberStart < 0 { numberStart = node.offset }
                numberEnd = node.offset + node.surface.count
                return
            }
            if numberStart >= 0 {
                emitNumber(bytes, numberStart..<numberEnd, emit)
                numberStart = -1
            }
            if role == .query, IPAdicPOS.pronouns.contains(node.posID) || isQuestionWord(node.surface) {
                excluded.append(node.offset..<(node.offset + node.surface.count))
                return
            }
            guard IPAdicPOS.isContent(node.posID) || node.isUnknown else { return }
            let form = node.isUnknown ? node.surface : (node.baseForm() ?? node.surface)
            emitWord(form, unknown: node.isUnknown, emit)
        }
        if numberStart >= 0 { emitNumber(bytes, numberStart..<numberEnd, emit) }
        emitGrams(bytes, excluding: excluded, emit)
    }

    func isQuestionWord(_ surface: UnsafeBufferPointer<UInt8>) -> Bool {
        guard surface.count <= 12 else { return false }
        // Compared as bytes: a String per node and a Set lookup (which compares the strings of every occupied
        // bucket it probes) cost more than the rest of the node's handling.
        for word in Self.questionWordBytes where word.count == surface.count && word.elementsEqual(surface) {
            return true
        }
        return false
    }

    /// `questionWords` as UTF-8.
    static let questionWordBytes: [[UInt8]] = questionWords.map { Array($0.utf8) }

    /// Emits a word term after folding 送り仮名 and trailing 長音; long runs also emit their bigrams.
    private func emitWord(
        _ form: UnsafeBufferPointer<UInt8>, unknown: Bool, _ emit: (TermField, UnsafeBufferPointer<UInt8>) -> Void
    ) {
        var kanji = 0, hiragana = 0, katakana = 0, latin = 0, chars = 0, wordChars = 0
        var i = 0
        while i < form.count {
            let n = UTF8Scan.length(form[i])
            if i + n > form.count { break }
            let cls = CharClass.of(UTF8Scan.scalar(form, i, n))
            switch cls {
            case .kanji: kanji += 1
            case .hiragana: hiragana += 1
            case .katakana: katakana += 1
            case .latin, .digit: latin += 1
            default: break
            }
            if cls.isWordChar { wordChars += 1 }
            chars += 1
            i += n
        }
        if wordChars == 0 { return }  // punctuation MeCab did not know ("!?") is not a term
        if kanji >= 2 && hiragana > 0 && form.count <= scratchCapacity {
            // 送り仮名 fold: keep the kanji (and any katakana), drop the hiragana.
            var length = 0
            i = 0
            while i < form.count {
                let n = UTF8Scan.length(form[i])
                if CharClass.of(UTF8Scan.scalar(form, i, n)) != .hiragana {
                    for k in 0..<n { scratch[length + k] = form[i + k] }
                    length += n
                }
                i += n
            }
            emit(.word, UnsafeBufferPointer(start: scratch, count: length))
            return
        }
        var term = form
        if katakana == chars && chars >= 4 && form.count >= 3 && form[form.count - 3] == 0xE3
            && form[form.count - 2] == 0x83 && form[form.count - 1] == 0xBC
        {
            term = UnsafeBufferPointer(rebasing: form[0..<(form.count - 3)])  // drop trailing ー
        }
        emit(.word, term)
        let isRun = katakana == chars || latin == chars
        if (unknown && chars >= 3) || (isRun && chars >= longRunCharacters) {
            emitBigrams(term, field: .word, emit)
        }
    }

    /// Emits a run of number nodes as Arabic digits ("二十五" → "25"); unparseable runs are kept as is.
    private func emitNumber(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ emit: (TermField, UnsafeBufferPointer<UInt8>) -> Void
    ) {
        let run = UnsafeBufferPointer(rebasing: bytes[range])
        var scalars: [UInt32] = []
        scalars.reserveCapacity(8)
        var i = 0
        while i < run.count {
            let n = UTF8Scan.length(run[i])
            if i + n > run.count { break }
            scalars.append(UTF8Scan.scalar(run, i, n))
            i += n
        }
        guard let value = KanjiNumber.value(of: scalars) else {
            emit(.word, run)
            return
        }
        var digits = String(value).utf8.count  // numbers are rare enough for one small String
        var v = value
        let count = digits
        repeat {
            digits -= 1
            scratch[digits] = UInt8(0x30 + v % 10)
            v /= 10
        } while digits > 0
        emit(.word, UnsafeBufferPointer(start: scratch, count: count))
    }

    /// Character bigrams over runs of word characters. Pure-hiragana bigrams are skipped: they are
    /// inflections and particles (ている, ので) that carry no topic and triple the index size.
    private func emitGrams(
        _ bytes: UnsafeBufferPointer<UInt8>, excluding excluded: [Range<Int>],
        _ emit: (TermField, UnsafeBufferPointer<UInt8>) -> Void
    ) {
        var prevStart = -1
        var prevClass = CharClass.space
        var i = 0
        var nextExcluded = 0
        while i < bytes.count {
            let n = UTF8Scan.length(bytes[i])
            if i + n > bytes.count { break }
            let cls = CharClass.of(UTF8Scan.scalar(bytes, i, n))
            var usable = cls.isWordChar
            if usable && !excluded.isEmpty {
                while nextExcluded < excluded.count && excluded[nextExcluded].upperBound <= i { nextExcluded += 1 }
                if nextExcluded < excluded.count && excluded[nextExcluded].contains(i) { usable = false }
            }
            if usable {
                if prevStart >= 0 && !(prevClass == .hiragana && cls == .hiragana) {
                    emit(.gram, UnsafeBufferPointer(rebasing: bytes[prevStart..<(i + n)]))
                }
                prevStart = i
                prevClass = cls
            } else {
                prevStart = -1
            }
            i += n
        }
    }

    private func emitBigrams(
        _ form: UnsafeBufferPointer<UInt8>, field: TermField, _ emit: (TermField, UnsafeBufferPointer<UInt8>) -> Void
    ) {
        var prev = -1
        var i = 0
        while i < form.count {
            let n = UTF8Scan.length(form[i])
            if prev >= 0 && i + n <= form.count { emit(field, UnsafeBufferPointer(rebasing: form[prev..<(i + n)])) }
            prev = i
            i += n
        }
    }
}

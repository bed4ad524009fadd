import JapaneseText
import Search

/// The writing system of a set of comments, which decides how they are cut into terms.
public enum CommentScript: String, Sendable, Codable {
    /// Japanese (kana present): MeCab content words by base form.
    case japanese = "ja"
    /// Han without kana (Chinese): character bigrams, since MeCab's Japanese dictionary does not apply.
    case chinese = "zh"
    /// Latin script: lower-cased words without stop words.
    case latin = "latin"

    /// The script of most letters in a sample of the texts.
    public static func detect(_ texts: [String]) -> CommentScript {
        var kana = 0
        var han = 0
        var latin = 0
        var seen = 0
        for text in texts {
            for s in text.unicodeScalars {
                switch s.value {
                case 0x3041...0x30FF, 0xFF66...0xFF9F: kana += 1
                case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0xF900...0xFAFF: han += 1
                case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F: latin += 1
                default: continue
                }
            }
            seen += 1
            if seen >= 5_000 { break }
        }
        if latin > (kana + han) * 2 { return .latin }
        // Chinese text has no kana at all; a Japanese corpus has kana in nearly every comment.
        return kana * 20 < han ? .chinese : .japanese
    }
}

/// Cuts opinions into term ids (Japanese: MeCab content words plus the bigrams of non-kana runs). Terms are interned as bytes (no String per token) and stop words are
/// dropped, so TF-IDF and c-TF-IDF both see the words that carry a topic.
final class TermExtractor {
    let script: CommentScript
    let interner = TermInterner(capacity: 1 << 16)
    private let analyzer: Analyzer?
    /// Term id → whether it is a stop word (decided once per new term).
    private var stop: [Bool] = []

    init(script: CommentScript, model: MeCabModel) throws {
        self.script = script
        analyzer = script == .japanese ? try Analyzer(model: model) : nil
        // Long katakana runs get their bigrams from the gram field; as words they would name clusters
        // 「ック」「ティ」.
        analyzer?.longRunCharacters = .max
    }

    var vocabularySize: Int { interner.count }
    func text(_ id: Int32) -> String { interner.text(id) }

    /// Term ids of one opinion, in order, repeats kept (term frequency matters).
    func terms(_ text: String) -> [Int32] {
        var out: [Int32] = []
        var bytes = Array(TextNormalizer.normalize(text).utf8)
        bytes.withUnsafeMutableBufferPointer { raw in
            let buffer = UnsafeBufferPointer(raw)
            switch script {
            case .japanese:
                analyzer!.analyze(normalized: buffer, role: .query) { field, term in
                    // Words carry the topic; the character bigrams of kanji and katakana runs also let
                    // compounds and unknown words that share a part meet (梅雨前線 / 梅雨入り), which on
                    // short comments measurably improves the clusters (NMI 0.55 → 0.59 on the dev set).
                    if field == .word {
                        add(term, &out)
                    } else if !Self.hasHiragana(term) {
                        add(term, &out, gram: true)
                    }
                }
            case .chinese, .latin:
                scan(buffer, &out)
            }
        }
        return out
    }

    /// Whether a term may name a cluster: words, not the helper bigrams of Japanese (「ンタ」「難所」), and not
    /// a single character (the suffixes 者・料・所 of compounds). Chinese bigrams are its words, so they qualify.
    func isDisplayable(_ id: Int32) -> Bool {
        guard interner.field(id) == 0 else { return false }
        return interner.text(id).unicodeScalars.count > 1
    }

    private func add(_ term: UnsafeBufferPointer<UInt8>, _ out: inout [Int32], gram: Bool = false) {
        let id = interner.intern(field: gram ? 1 : 0, term)
        if Int(id) == stop.count {
            let word = String(decoding: term, as: UTF8.self)
            stop.append(
                Self.stopWords.contains(word) || Self.chineseStopBigrams.contains(word)
                    || word.unicodeScalars.allSatisfy { $0.properties.numericType != nil })
        }
        if !stop[Int(id)] { out.append(id) }
    }

    /// Latin words (lower-cased, plural "s" dropped) and, for Han, overlapping character bigrams.
    private func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ out: inout [Int32]) {
        var word: [UInt8] = []
        var hanRun: [Range<Int>] = []  // byte ranges of consecutive Han characters
        func flushWord() {
            if word.count >= 2 {
                let whole = String(decoding: word, as: UTF8.self)
                if !Self.stopWords.contains(whole) {
                    Self.singular(&word)
                    word.withUnsafeBufferPointer { add($0, &out) }
                }
            }
            word.removeAll(keepingCapacity: true)
        }
        func flushHan() {
            if hanRun.count == 1 {
                add(UnsafeBufferPointer(rebasing: bytes[hanRun[0]]), &out)
            } else if hanRun.count > 1 {
                for i in 0..<(hanRun.count - 1) {
                    add(UnsafeBufferPointer(rebasing: bytes[hanRun[i].lowerBound..<hanRun[i + 1].upperBound]), &out)
                }
            }
            hanRun.removeAll(keepingCapacity: true)
        }
        var i = 0
        while i < bytes.count {
            let (scalar, length) = Self.decode(bytes, at: i)
            switch scalar {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x27:
                flushHan()
                if scalar != 0x27 { word.append(UInt8(scalar | (scalar >= 0x41 && scalar <= 0x5A ? 0x20 : 0))) }
            case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0xF900...0xFAFF:
                flushWord()
                hanRun.append(i..<(i + length))
            default:
                flushWord()
                flushHan()
            }
            i += length
        }
        flushWord()
        flushHan()
    }

    /// Bigrams with hiragana (「のは」「を増」「日を」) straddle grammar, not topic.
    static func hasHiragana(_ term: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < term.count {
            let (v, n) = decode(term, at: i)
            if (0x3041...0x309F).contains(v) { return true }
            i += n
        }
        return false
    }

    /// English plurals to the singular, conservatively (businesses → business, cities → city, cars → car;
    /// this, bus, analysis unchanged), so that the two forms count as one term.
    static func singular(_ w: inout [UInt8]) {
        let n = w.count
        guard n > 3, w[n - 1] == 0x73 else { return }  // "s"
        let before = w[n - 2]
        if before == 0x73 || before == 0x75 || before == 0x69 { return }  // -ss, -us, -is
        if before == 0x65, n > 4 {  // "es"
            let stem = w[n - 3]
            if w[n - 4] == 0x69 && stem == 0x65 { return }
            if stem == 0x69 && n > 4 {  // -ies → -y
                w.removeLast(3)
                w.append(0x79)
                return
            }
            if stem == 0x73 || stem == 0x78 || (stem == 0x68 && (w[n - 4] == 0x63 || w[n - 4] == 0x73)) {
                w.removeLast(2)  // -ses, -xes, -ches, -shes
                return
            }
        }
        w.removeLast()
    }

    /// The scalar at byte `i` of valid UTF-8 and its length in bytes.
    @inline(__always) static func decode(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let b0 = UInt32(b[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0, i + 1 < b.count { return ((b0 & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F), 2) }
        if b0 < 0xF0, i + 2 < b.count {
            return ((b0 & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F), 3)
        }
        if i + 3 < b.count {
            return ((b0 & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F), 4)
        }
        return (0xFFFD, 1)
    }

    /// Chinese function bigrams (覺得 "think", 應該 "should", 我們 "we"…), normalised as the text is (覺 → 覚), so
    /// that 「我覺得…」 does not name a cluster.
    static let chineseStopBigrams: Set<String> = Set(
        [
            "覺得", "我覺", "認為", "我認", "應該", "我們", "你們", "他們", "可以", "沒有", "這個", "那個", "一個", "如果", "因為",
            "所以", "但是", "還是", "就是", "不是", "而且", "或是", "什麼", "怎麼", "這樣", "那麼", "已經", "需要", "希望", "目前",
            "問題", "是否", "自己", "大家", "應當", "必須", "不能", "不會", "能夠", "比較", "非常", "其實", "現在",
        ].map(TextNormalizer.normalize))

    /// Words that appear in comments on any topic. Japanese entries are base forms after the analyzer's
    /// folds; the English list is the usual function words plus consultation boilerplate.
    static let stopWords: Set<String> = [
        "する", "ある", "いる", "なる", "できる", "思う", "考える", "いう", "言う", "感じる", "欲しい", "ほしい", "願う", "お願い",
        "いただく", "いただける", "くださる", "くれる", "もらう", "やる", "行う", "おる", "しまう", "みる", "見る", "つく", "わかる", "分かる",
        "こと", "もの", "ため", "よう", "これ", "それ", "あれ", "ここ", "そこ", "さん", "方", "等", "的", "化", "私", "自分",
        "みんな", "皆さん", "今", "今後", "現在", "非常", "とても", "もっと", "ぜひ", "是非", "もう", "また", "まだ", "よく",
        "良い", "よい", "いい", "多い", "少ない", "ない", "無い", "思い", "意見", "お願い", "感じ", "気", "中", "上", "下",
        "the", "and", "for", "that", "this", "with", "are", "was", "were", "been", "being", "have", "has", "had", "not",
        "but", "they", "them", "their", "there", "what", "which", "who", "whom", "will", "would", "should", "could",
        "can", "may", "might", "must", "shall", "from", "into", "onto", "about", "than", "then", "more", "most", "some",
        "such", "only", "also", "very", "just", "all", "any", "each", "other", "our", "ours", "your", "you", "its",
        "his", "her", "she", "him", "one", "out", "over", "under", "too", "how", "why", "when", "where", "because",
        "does", "did", "doing", "done", "get", "got", "make", "made", "like", "need", "needs", "way", "lot", "many",
        "much", "well", "even", "it's", "don't", "i'm", "we", "us", "is", "be", "to", "of", "in", "on", "at", "by",
        "or", "an", "as", "it", "if", "so", "no", "do", "my", "me", "he", "up", "these", "those", "think", "people",
        "thing", "things", "really", "being", "here", "same", "own", "both", "few", "again", "further", "once",
        "itself", "themselves", "yes", "etc", "im", "dont", "cant", "isnt", "doesnt", "wont", "non",
    ]
}

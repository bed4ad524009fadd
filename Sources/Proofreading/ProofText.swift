import JapaneseText

/// The text being checked, analysed once and shared by every rule: scalars, lines, MeCab tokens and
/// sentences, all addressed by scalar index.
public final class ProofText: @unchecked Sendable {
    public let text: String
    public let scalars: [Unicode.Scalar]
    /// Scalar index where each line starts (line 1 at index 0).
    public let lineStarts: [Int]
    public private(set) var tokens: [ProofToken] = []
    /// Sentences: split at 。．！？!? (also inside brackets) and at line breaks; whitespace trimmed.
    public private(set) var sentences: [Range<Int>] = []
    /// Paragraphs: runs of lines separated by blank lines.
    public private(set) var paragraphs: [Range<Int>] = []
    /// UTF-16 offset of every scalar index (and of the end), so a position costs a binary search even on
    /// a 10 MB line.
    private let utf16Prefix: [Int32]

    static let maxPieceScalars = 2048

    public init(_ text: String, tagger: MeCabTagger) {
        self.text = text
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.utf8.count / 2)
        var lineStarts = [0]
        var prefix: [Int32] = [0]
        prefix.reserveCapacity(text.utf8.count / 2)
        var utf16: Int32 = 0
        for s in text.unicodeScalars {
            scalars.append(s)
            utf16 += s.value > 0xFFFF ? 2 : 1
            prefix.append(utf16)
            if s.value == 0x0A { lineStarts.append(scalars.count) }
        }
        self.scalars = scalars
        self.lineStarts = lineStarts
        self.utf16Prefix = prefix
        sentences = Self.splitSentences(scalars)
        tokens = Self.tokenize(scalars, sentences: sentences, tagger: tagger)
        paragraphs = Self.splitParagraphs(scalars, lineStarts: lineStarts)
    }

    // MARK: - Positions

    /// 0-based line index containing scalar index `i`.
    public func lineIndex(of i: Int) -> Int {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= i { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Line, UTF-16 column and offsets of scalar index `i`.
    public func position(of i: Int) -> TextPosition {
        let i = min(max(0, i), scalars.count)
        let line = lineIndex(of: i)
        let offset = Int(utf16Prefix[i])
        return TextPosition(line: line + 1, column: offset - Int(utf16Prefix[lineStarts[line]]) + 1, utf16Offset: offset, scalarOffset: i)
    }

    /// The text of a scalar range.
    public func string(_ range: Range<Int>) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[max(0, range.lowerBound)..<min(scalars.count, range.upperBound)])
        return String(s)
    }

    // MARK: - Tokens

    /// Index of the first token starting at or after scalar index `i`.
    public func firstToken(atOrAfter i: Int) -> Int {
        var lo = 0
        var hi = tokens.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if tokens[mid].start < i { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Token indices whose start lies in `range`.
    public func tokenIndices(in range: Range<Int>) -> Range<Int> {
        firstToken(atOrAfter: range.lowerBound)..<firstToken(atOrAfter: range.upperBound)
    }

    /// Token index starting exactly at scalar `i`, if any.
    public func token(startingAt i: Int) -> Int? {
        let t = firstToken(atOrAfter: i)
        return t < tokens.count && tokens[t].start == i ? t : nil
    }

    /// Token index ending exactly at scalar `i`, if any.
    public func token(endingAt i: Int) -> Int? {
        let t = firstToken(atOrAfter: i) - 1
        return t >= 0 && tokens[t].end == i ? t : nil
    }

    /// MeCab sees one sentence at a time (a sentence start after ". " is then parsed as one), and long
    /// sentences in pieces of at most `maxPieceScalars`, cut after a comma or space where possible: a 10 MB
    /// line must not become one lattice. Control characters reach MeCab as spaces.
    static func tokenize(_ scalars: [Unicode.Scalar], sentences: [Range<Int>], tagger: MeCabTagger) -> [ProofToken] {
        var tokens: [ProofToken] = []
        tokens.reserveCapacity(scalars.count / 2)
        var interned: [String: TokenInfo] = [:]
        var bytes: [UInt8] = []
        var scalarOfByte: [Int32] = []
        for sentence in sentences {
            var start = sentence.lowerBound
            while start < sentence.upperBound {
                var end = min(sentence.upperBound, start + maxPieceScalars)
                if end < sentence.upperBound {
                    if let cut = (start + maxPieceScalars / 2..<end).last(where: { [0x3001, 0xFF0C, 0x20, 0x3000].contains(scalars[$0].value) }) {
                        end = cut + 1
                    }
                }
                bytes.removeAll(keepingCapacity: true)
                scalarOfByte.removeAll(keepingCapacity: true)
                for k in start..<end {
                    var v = scalars[k]
                    if v.value < 0x20 || v.value == 0x7F { v = " " }
                    for b in UTF8.encode(v)! {
                        bytes.append(b)
                        scalarOfByte.append(Int32(k))
                    }
                }
                scalarOfByte.append(Int32(end))
                bytes.withUnsafeBufferPointer { buffer in
                    tagger.parse(buffer) { node in
                        let first = Int(scalarOfByte[node.offset])
                        let last = Int(scalarOfByte[node.offset + node.surface.count])
                        let surface = String(decoding: node.surface, as: UTF8.self)
                        let feature = node.feature
                        let key = surface + "\t" + feature
                        let info: TokenInfo
                        if let known = interned[key] {
                            info = known
                        } else {
                            info = TokenInfo(surface: surface, feature: feature, isUnknown: node.isUnknown)
                            interned[key] = info
                        }
                        tokens.append(ProofToken(start: first, end: last, info: info))
                    }
                }
                start = end
            }
        }
        return tokens
    }

    // MARK: - Sentences and paragraphs

    @inline(__always) static func isTerminator(_ v: UInt32) -> Bool {
        v == 0x3002 || v == 0xFF01 || v == 0xFF1F || v == 0x21 || v == 0x3F || v == 0xFF0E
    }

    @inline(__always) static func isClosing(_ v: UInt32) -> Bool {
        v == 0x300D || v == 0x300F || v == 0xFF09 || v == 0x29 || v == 0x3011 || v == 0x3015 || v == 0x300B
            || v == 0xFF3D
    }

    @inline(__always) static func isSpace(_ v: UInt32) -> Bool {
        v == 0x20 || v == 0x09 || v == 0x0D || v == 0x3000 || v == 0x0A
    }

    static func splitSentences(_ s: [Unicode.Scalar]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0
        var i = 0
        func close(_ end: Int) {
            var a = start
            var b = end
            while a < b && isSpace(s[a].value) { a += 1 }
            while b > a && isSpace(s[b - 1].value) { b -= 1 }
            if a < b { result.append(a..<b) }
            start = end
        }
        while i < s.count {
            let v = s[i].value
            if v == 0x0A {
                close(i)
                i += 1
                start = i
                continue
            }
            var ends = isTerminator(v) && v != 0x21 && v != 0x3F
            // ASCII . ! ? end a sentence only after Japanese text and before a space, line end or Japanese.
            if v == 0x2E || v == 0x21 || v == 0x3F {
                let prev = i > 0 ? s[i - 1].value : 0
                let next = i + 1 < s.count ? s[i + 1].value : 0x0A
                ends = prev >= 0x3000 && (next == 0x20 || next == 0x0A || next == 0x0D || next >= 0x3000 || i + 1 == s.count)
            }
            if ends {
                var end = i + 1
                while end < s.count && (isTerminator(s[end].value) || isClosing(s[end].value)) { end += 1 }
                close(end)
                i = end
                continue
            }
            i += 1
        }
        close(s.count)
        return result
    }

    static func splitParagraphs(_ s: [Unicode.Scalar], lineStarts: [Int]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start: Int? = nil
        for (n, lineStart) in lineStarts.enumerated() {
            let lineEnd = n + 1 < lineStarts.count ? lineStarts[n + 1] - 1 : s.count
            var blank = true
            for k in lineStart..<max(lineStart, lineEnd) where !isSpace(s[k].value) {
                blank = false
                break
            }
            if blank {
                if let st = start { result.append(st..<max(st, lineStart - 1)) }
                start = nil
            } else if start == nil {
                start = lineStart
            }
        }
        if let st = start { result.append(st..<s.count) }
        return result
    }
}

import JapaneseText

/// MeCab tokens of the folded text, with scalar offsets.
///
/// MeCab sees the folded text (full-width digits and half-width kana already normalised), cut into pieces
/// at line breaks and sentence ends so a megabyte-long line never becomes one lattice.
struct TokenizedText {
    struct Token {
        var range: Range<Int>
        var pos: UInt16
        var unknown: Bool
        /// For kanji words MeCab did not tag as names: whether IPAdic also lists the same surface as a 姓
        /// (`alsoSurname`) or a 名 (`alsoGiven`) — 宮崎 (地域 / 姓), 正則 (一般 / 名).
        var alsoSurname = false
        var alsoGiven = false
        /// For katakana nouns MeCab did not tag as names: whether IPAdic also lists the surface as a person name
        /// (フォード: 一般 / 人名). Read by the name model only.
        var alsoPerson = false
        /// IPAdic's word cost (a frequency measure: チーム is cheap, rare loanwords dear). Read by the name model.
        var cost: Int16 = 0
    }

    var tokens: [Token] = []
    /// For every scalar index, the token that covers it (-1 for spaces MeCab skipped).
    var tokenAt: [Int32]

    /// Longest piece given to MeCab at once, in scalars.
    static let maxPiece = 4096

    init(_ t: ScannedText, tagger: MeCabTagger) {
        tokenAt = [Int32](repeating: -1, count: t.count)
        var bytes: [UInt8] = []
        var scalarOfByte: [Int32] = []
        var pieceStart = 0
        var i = 0
        while i <= t.count {
            let atEnd = i == t.count
            let v = atEnd ? 0 : t[i]
            let cut = atEnd || ScannedText.isLineBreak(v) || (i - pieceStart >= 256 && (v == 0x3002 || v == 0x20))
                || i - pieceStart >= Self.maxPiece
            if cut {
                if i > pieceStart { parse(t, pieceStart..<i, tagger, &bytes, &scalarOfByte) }
                pieceStart = atEnd ? i : (ScannedText.isLineBreak(v) ? i + 1 : i)
            }
            i += 1
        }
    }

    private mutating func parse(
        _ t: ScannedText, _ range: Range<Int>, _ tagger: MeCabTagger, _ bytes: inout [UInt8], _ scalarOfByte: inout [Int32]
    ) {
        bytes.removeAll(keepingCapacity: true)
        scalarOfByte.removeAll(keepingCapacity: true)
        for i in range {
            var v = t[i]
            if v == 0 || (v >= 0xD800 && v <= 0xDFFF) { v = 0x20 }
            let before = bytes.count
            Self.appendUTF8(v, to: &bytes)
            for _ in before..<bytes.count { scalarOfByte.append(Int32(i)) }
        }
        scalarOfByte.append(Int32(range.upperBound))
        bytes.withUnsafeBufferPointer { buffer in
            tagger.parse(buffer) { node in
                let start = Int(scalarOfByte[node.offset])
                let end = Int(scalarOfByte[node.offset + node.surface.count])
                guard end > start else { return }
                let index = Int32(tokens.count)
                var token = Token(range: start..<end, pos: node.posID, unknown: node.isUnknown, cost: node.wordCost)
                // Only nouns starting with a CJK ideograph (UTF-8 lead byte E4–E9) can be kanji names.
                if !node.isUnknown, !POS.isPerson(node.posID), POS.isNoun(node.posID), let lead = node.surface.first, lead >= 0xE4 && lead <= 0xE9 {
                    _ = node.hasAlternative { pos in
                        if pos == POS.surname { token.alsoSurname = true } else if pos == POS.givenName { token.alsoGiven = true }
                        return false
                    }
                } else if !node.isUnknown, !POS.isPerson(node.posID), POS.isNoun(node.posID), node.surface.count >= 6, node.surface[0] == 0xE3,
                    node.surface[1] == 0x82 || node.surface[1] == 0x83
                {
                    // Katakana (U+30A0–30FF is E3 82 A0 … E3 83 BF).
                    token.alsoPerson = node.hasAlternative { POS.isPerson($0) }
                }
                tokens.append(token)
                for s in start..<end { tokenAt[s] = index }
            }
        }
    }

    static func appendUTF8(_ v: UInt32, to bytes: inout [UInt8]) { TextNormalizer.appendUTF8(v, to: &bytes) }

    /// The token starting exactly at scalar `i`, if any.
    func token(startingAt i: Int) -> Int? {
        guard i >= 0, i < tokenAt.count, tokenAt[i] >= 0 else { return nil }
        let k = Int(tokenAt[i])
        return tokens[k].range.lowerBound == i ? k : nil
    }

    /// The token ending exactly at scalar `end` (exclusive), if any.
    func token(endingAt end: Int) -> Int? {
        guard end > 0, end <= tokenAt.count, tokenAt[end - 1] >= 0 else { return nil }
        let k = Int(tokenAt[end - 1])
        return tokens[k].range.upperBound == end ? k : nil
    }
}

/// IPAdic part-of-speech ids used by the detectors (`pos-id.def`).
enum POS {
    static let symbolRange: ClosedRange<UInt16> = 3...9
    static let adjectiveRange: ClosedRange<UInt16> = 10...12
    static let particleRange: ClosedRange<UInt16> = 13...24
    static let auxiliary: UInt16 = 25
    static let conjunction: UInt16 = 26
    static let prefixRange: ClosedRange<UInt16> = 27...30
    static let verbRange: ClosedRange<UInt16> = 31...33
    static let sahen: UInt16 = 36
    static let general: UInt16 = 38
    static let adjectivalNoun: UInt16 = 40
    static let properGeneral: UInt16 = 41
    static let personGeneral: UInt16 = 42
    static let surname: UInt16 = 43
    static let givenName: UInt16 = 44
    static let organization: UInt16 = 45
    static let placeGeneral: UInt16 = 46
    static let country: UInt16 = 47
    static let number: UInt16 = 48
    static let suffixGeneral: UInt16 = 51
    static let suffixCounter: UInt16 = 53
    static let suffixPerson: UInt16 = 55
    static let suffixPlace: UInt16 = 56
    static let pronounRange: ClosedRange<UInt16> = 59...60
    static let adverbialNoun: UInt16 = 67

    @inline(__always) static func isPerson(_ p: UInt16) -> Bool { p >= 42 && p <= 44 }
    @inline(__always) static func isNoun(_ p: UInt16) -> Bool { p >= 36 && p <= 67 }
    /// Nouns that glue onto a neighbouring noun to form a compound (住友|化学, 明治|安田).
    @inline(__always) static func isCompoundNoun(_ p: UInt16) -> Bool {
        p == 36 || p == 37 || p == 38 || p == 40 || p == 41 || p == 45 || p == 46 || p == 47 || p == 50 || p == 51
            || p == 52 || p == 56 || p == 57
    }
}

/// Names from IPAdic's own name lists where MeCab's best path chose another reading, and Chinese and
/// Korean names MeCab cuts into pieces.
extension NameDetector {
    /// 福島|正則, 宮崎|駿: a word IPAdic also lists as a 姓 (MeCab read it as a place or a common word) right
    /// before a word it lists as a 名, or a tagged surname before a word IPAdic also lists as a 名 (二階|俊博
    /// is tagged already; 杉山|正義 is not). Both halves kanji, standing apart from other kanji and katakana.
    func lexiconFullNames(_ t: ScannedText, _ tk: TokenizedText) -> [Raw] {
        var out: [Raw] = []
        let tokens = tk.tokens
        guard tokens.count >= 2 else { return out }
        for k in 0..<(tokens.count - 1) {
            let a = tokens[k], b = tokens[k + 1]
            guard a.alsoSurname || b.alsoGiven, a.range.upperBound == b.range.lowerBound else { continue }
            let surname = a.pos == POS.surname || a.alsoSurname
            let given = b.pos == POS.givenName || b.alsoGiven
            guard surname, given, !(a.pos == POS.surname && b.pos == POS.givenName) else { continue }
            guard (1...3).contains(a.range.count), (1...3).contains(b.range.count), a.range.count + b.range.count >= 3 else { continue }
            let range = a.range.lowerBound..<b.range.upperBound
            // Numerals belong to names only inside listed words (二階|俊博, 千葉|周作, 長崎|啓二), never alone (山田|一).
            guard range.allSatisfy({ ScannedText.isKanji(t[$0]) }) else { continue }
            if b.range.count == 1 && ScannedText.isKanjiNumeral(t[b.range.lowerBound]) { continue }
            if a.range.count == 1 && ScannedText.isKanjiNumeral(t[a.range.lowerBound]) { continue }
            // Standing apart: no letter glued on before, no noun glued on after (福島|正則|寺 is a temple).
            if range.lowerBound > 0 {
                let v = t[range.lowerBound - 1]
                if ScannedText.isKanji(v) || ScannedText.isKatakana(v) { continue }
            }
            if k + 2 < tokens.count, tokens[k + 2].range.lowerBound == range.upperBound, isLetterToken(t, tokens[k + 2]),
                !isTitleOrHonorific(t, tokens[k + 2].range), !NameVocabulary.isTitle(Array(t.folded[tokens[k + 2].range]))
            {
                continue
            }
            let second = Array(t.folded[b.range])
            // A common word listed as a 名 too (時代, 工事) is a given name only when spelt with given-name kanji
            // (正則, 啓二): 江戸|時代, 築城|工事 are not names.
            if b.pos != POS.givenName && !second.allSatisfy({ NameVocabulary.givenNameKanji.contains($0) }) { continue }
            if NameVocabulary.nonPersonHeads.contains(second) || NameVocabulary.isTitle(second) || NameVocabulary.isPersonNoun(second)
                || NameVocabulary.honorifics.contains(second) || b.range.count == 1 && Self.nonNameSingleKanji.contains(second[0])
            {
                continue
            }
            // A prefecture or region before one kanji is a place word (広島|港); before a given name of two it is a
            // surname (福島|正則, 宮崎|駿 aside).
            if b.range.count == 1 && Self.regionNames.contains(Array(t.folded[a.range])) { continue }
            out.append(Raw(range: range, strength: .medium))
        }
        return out
    }

    /// 袁世凱, 鄧小平, 朴槿恵, 金載昊: a run of exactly three kanji that starts with a common Chinese or Korean
    /// one-character surname and that MeCab reads only as pieces, unknown words or names (no common word of
    /// two kanji or more inside it: 金曜日, 張本人, 陳列棚 stay words).
    func sinosphereNames(_ t: ScannedText, _ tk: TokenizedText) -> [Raw] {
        var out: [Raw] = []
        for run in t.kanjiRuns() {
            let (i, e) = (run.lowerBound, run.upperBound)
            guard e - i == 3, Self.sinosphereSurnames.contains(t[i]), !ScannedText.isKatakana(t[i - 1]), !ScannedText.isKatakana(t[e]) else { continue }
            guard let first = tk.token(startingAt: i), let last = tk.token(endingAt: e) else { continue }
            var ok = true
            for token in tk.tokens[first...last] {
                if token.range.contains(where: { ScannedText.isKanjiNumeral(t[$0]) }) { ok = false; break }
                // Pieces of two kanji MeCab knows only as a place or another reading (鄧|小平) may be the given name.
                if token.unknown || POS.isPerson(token.pos) || token.alsoGiven || token.alsoSurname || token.pos == POS.placeGeneral { continue }
                // Any single kanji MeCab reads on its own (載 as a verb stem, 槿 unknown) may be part of the name.
                if token.range.count == 1 && ![POS.suffixPerson, POS.suffixPlace, POS.suffixCounter].contains(token.pos) { continue }
                ok = false
                break
            }
            guard ok else { continue }
            let word = Array(t.folded[i..<e])
            if NameVocabulary.isPersonNoun(word) || NameVocabulary.isTitle(word) || Self.nonNameSingleKanji.contains(t[e - 1])
                || Self.termEnds.contains(t[e - 1])
            {
                continue
            }
            out.append(Raw(range: i..<e, strength: .medium))
        }
        return out
    }

    /// Last kanji of technical and geographic terms (葉緑体, 曽文渓), rare at the end of a given name.
    static let termEnds: Set<UInt32> = Set(Array(folding: "体素類種型質剤酸塩器機渓河峡谷湾岬系目科属"))

    /// The most frequent one-character surnames of China, Taiwan and Korea, without those that mostly
    /// start ordinary words in Japanese text (高, 田, 石, 安, 全, 元, 方, 白, 成, 江, 史, 南, 車, 河 …); 金 and 文 stay
    /// (金載昊, 文在寅): the words they start are ones MeCab knows, which the rule refuses.
    static let sinosphereSurnames: Set<UInt32> = Set(Array(folding:
        "金文曽王李張劉刘陳陈楊杨黄黃趙赵周呉吴徐孫孙朱胡郭何羅罗鄭郑梁謝谢宋唐許许鄧邓馮冯韓韩曹曾彭蕭萧蔡潘董袁葉叶蒋蔣蘇苏魏程呂吕"
        + "沈姚盧卢傅鍾钟姜崔譚谭廖范汪閻薛尹段雷黎陶賀贺顧顾郝龔龚邵錢钱覃習习溫温朴權権洪裵裴辛閔俞兪嚴严卞邊禹琴魚鄒邹熊秦侯"
        + "汪孟戴賈贾韋韦邱毛萬"))
}

/// IPAdic part-of-speech ids (`pos-id.def`) that carry meaning for search.
public enum IPAdicPOS {
    public static let number: UInt16 = 48
    /// Pronouns (何, どこ, これ) — never content words.
    public static let pronouns: ClosedRange<UInt16> = 59...60

    /// Content words: nouns (but pronouns, 非自立 and auxiliary stems), independent verbs and adjectives,
    /// 副詞可能 nouns (今日, 現在), alphabet symbols.
    static let contentTable: [Bool] = {
        var table = [Bool](repeating: false, count: 70)
        for id in [3, 10, 31] { table[id] = true }
        for id in 36...48 { table[id] = true }
        for id in [50, 51, 52, 53, 56, 58, 67] { table[id] = true }
        return table
    }()

    @inline(__always) public static func isContent(_ id: UInt16) -> Bool {
        Int(id) < contentTable.count && contentTable[Int(id)]
    }
}

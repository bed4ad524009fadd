/// Article numbers of 例規/法令 (第二条, 第百条の二, 第2条の3の2) as index keys, so that a query naming an
/// article finds the article itself rather than every other article that cites it.
///
/// Chunks of a statute carry their own article as an extra word term `§2`, `§100の2` (never from the
/// text, which cites other articles all the time); a query that names 第N条 asks for that term too.
public enum ArticleNumber {
    /// Marks the article terms apart from any word of the text.
    public static let prefix = "§"

    nonisolated(unsafe) static let pattern = try! Regex("第([0-9一二三四五六七八九十百千〇]+)条((?:の[0-9一二三四五六七八九十百千〇]+)*)")

    /// The key of an article label such as 第百条の二 (→ §100の2); nil when the label names no article.
    /// Labels that span articles (第二十条乃至第七十三条) key by their first article.
    public static func key(_ label: String) -> String? {
        guard let match = TextNormalizer.normalize(label).firstMatch(of: pattern) else { return nil }
        return key(match)
    }

    /// The keys of every article a query names, in order, without repeats.
    public static func references(in query: String) -> [String] {
        var out: [String] = []
        let text = TextNormalizer.normalize(query)
        // Most queries name no article: one scan for 条 spares them the regex.
        guard text.unicodeScalars.contains("条") else { return out }
        for match in text.matches(of: pattern) {
            if let k = key(match), !out.contains(k) { out.append(k) }
        }
        return out
    }

    private static func key(_ match: Regex<AnyRegexOutput>.Match) -> String? {
        guard let main = match.output[1].substring, let number = KanjiNumber.value(of: String(main)) else { return nil }
        var key = prefix + String(number)
        if let branches = match.output[2].substring {
            for branch in branches.split(separator: "の") {
                guard let n = KanjiNumber.value(of: String(branch)) else { return nil }
                key += "の\(n)"
            }
        }
        return key
    }
}

import Foundation
import HirobaCore

/// The e-Gov statute set of `../shared/data/ja_legal` (one JSON object per article) rendered back into
/// the text e-Gov prints, one file per law, so the product ingests statutes the way a city would.
struct EgovArticles {
    struct Article {
        var law: String
        var lawNumber: String
        var headings: [String]  // 編, 章, 節, 款 in order (missing levels omitted)
        var label: String  // 第二条, 第百条の二
        var text: String  // caption line (if any) and the article lines, as e-Gov prints them
    }

    var articles: [Article] = []

    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvalError.unreadable(path, "pass the e-Gov articles.jsonl (../shared/data/ja_legal/egov_laws/articles.jsonl)")
        }
        for (n, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where !line.isEmpty {
            guard let o = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let law = o["law_title"] as? String, let label = o["article"] as? String, let text = o["text"] as? String
            else { throw EvalError.malformed(path, n + 1, "expected law_title, article and text") }
            let headings = ["part", "chapter", "section", "subsection"].compactMap { o[$0] as? String }
            articles.append(
                Article(law: law, lawNumber: o["law_num"] as? String ?? "", headings: headings, label: label, text: text))
        }
    }

    /// Law titles in first-seen order.
    var laws: [String] {
        var seen = Set<String>()
        return articles.map(\.law).filter { seen.insert($0).inserted }
    }

    /// One law as e-Gov prints it: title, number, then headings as they change and every article.
    func render(law: String) -> String {
        let own = articles.filter { $0.law == law }
        var lines = [law, "（\(own.first?.lawNumber ?? "")）", ""]
        var current: [String] = []
        for article in own {
            // Print only the headings that changed, from the first level that differs.
            let common = zip(current, article.headings).prefix { $0 == $1 }.count
            lines += article.headings.dropFirst(common)
            current = article.headings
            lines.append(article.text)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Bad evaluation input.
enum EvalError: HirobaError {
    case unreadable(String, String)
    case malformed(String, Int, String)

    var message: String {
        switch self {
        case .unreadable(let path, _): return "評価データを読めません: \(path)"
        case .malformed(let path, let line, let what): return "評価データの形式が不正です: \(path):\(line): \(what)"
        }
    }

    var fix: String {
        switch self {
        case .unreadable(_, let fix): return fix
        case .malformed: return "use the e-Gov articles.jsonl from ../shared/data/ja_legal/egov_laws (one JSON object per line)"
        }
    }
}

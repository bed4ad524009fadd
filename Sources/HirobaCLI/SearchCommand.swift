import ArgumentParser
import Foundation
import Storage

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "検索する (search: free text, \"quoted phrases\", -exclusions).")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The query.") var query: String
    @Option(help: "Only search this collection (repeatable).") var collection: [String] = []
    @Option(help: "Number of hits.") var k: Int = 10
    @Flag(help: "JSON on stdout.") var json = false
    @Flag(help: "Show each term's contribution to each hit's score.") var explain = false

    func run() throws {
        let store = try StoreFactory.open(database)
        let response = try store.search(SearchRequest(query: query, collections: collection, k: k, explain: explain))
        if json {
            print(
                jsonString([
                    "hits": response.hits.map { Self.json($0, explain: explain) }, "total": response.totalMatches,
                    "total_exact": response.totalIsExact,
                ]))
            return
        }
        if response.hits.isEmpty {
            print("該当する文書は見つかりませんでした。")
            return
        }
        // Pruning stops counting once the top k is settled: say 「以上」 rather than print a wrong total.
        let total = response.totalIsExact ? "\(response.totalMatches) 件中" : "\(response.totalMatches) 件以上が該当、"
        print("\(total) 上位 \(response.hits.count) 件")
        for (i, hit) in response.hits.enumerated() {
            print(String(format: "%2d. [%.3f] ", i + 1, hit.score) + hit.citation + "  (\(hit.collection))")
            print("    " + Self.terminalSnippet(hit.snippet))
            if let explanation = hit.explanation {
                for c in explanation {
                    print(String(format: "      %@ %@  tf=%d df=%d idf=%.3f → %.3f", c.field, c.term, c.tf, c.df, c.idf, c.score))
                }
            }
        }
    }

    static func json(_ hit: SearchHit, explain: Bool) -> [String: Any] {
        var out: [String: Any] = [
            "chunk_id": hit.chunkID.rawValue, "document_id": hit.documentID.rawValue, "title": hit.title,
            "locator": hit.locator.display, "citation": hit.citation, "score": hit.score, "snippet": hit.snippet,
            "collection": hit.collection, "source": hit.source,
        ]
        if explain, let e = hit.explanation {
            out["explanation"] = e.map { ["term": $0.term, "field": $0.field, "tf": $0.tf, "df": $0.df, "idf": $0.idf, "score": $0.score] }
        }
        return out
    }

    /// `<mark>` → bold on a terminal, brackets otherwise; HTML entities decoded.
    static func terminalSnippet(_ html: String) -> String {
        let tty = isatty(STDOUT_FILENO) != 0
        return html.replacingOccurrences(of: "<mark>", with: tty ? "\u{1B}[1m" : "[")
            .replacingOccurrences(of: "</mark>", with: tty ? "\u{1B}[0m" : "]")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }
}

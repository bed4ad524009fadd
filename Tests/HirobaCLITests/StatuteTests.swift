import Foundation
import HirobaCore
import Ingest
@testable import HirobaCLI
import JapaneseText
import Storage
import Testing
import TestSupport

/// The e-Gov statute set (`../shared/data/ja_legal`), rendered as e-Gov prints it and ingested.
@Suite("Statutes from e-Gov")
struct StatuteTests {
    static var articlesPath: String? {
        TestEnvironment.sharedData.map { $0.appendingPathComponent("ja_legal/egov_laws/articles.jsonl").path }
    }

    /// Every article is one citable unit, and a sample of them holds exactly its own 項 and 号 — checked
    /// against the JSONL structure, not against our own parse.
    @Test func everyArticleIsAUnitHoldingItsParagraphsAndItems() throws {
        guard let path = Self.articlesPath else {
            print("skipped: ../shared/data/ja_legal is absent")
            return
        }
        let set = try EgovArticles(path: path)
        #expect(set.articles.count == 1442)
        let (store, dir) = try TestEnvironment.makeStore()
        for law in set.laws {
            let file = dir.appendingPathComponent("\(law).txt").path
            try set.render(law: law).write(toFile: file, atomically: true, encoding: .utf8)
            _ = try store.ingestFile(path: file, collection: "法令")
        }
        var units: [String: [ChunkDraft]] = [:]
        for document in try store.documents(collection: "法令") {
            for chunk in try store.chunks(documentID: document.id) {
                if let article = chunk.locator.article { units["\(document.title) \(article)", default: []].append(chunk) }
            }
        }
        #expect(units.count == 1442)
        let raw = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        var checkedLocators = 0
        for (n, line) in raw.enumerated() where n % 37 == 0 {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let key = "\(o["law_title"] as! String) \(o["article"] as! String)"
            let chunks = try #require(units[key], "no unit for \(key)")
            let body = chunks.map(\.text).joined(separator: "\n")
            // Every 項 and 号 of the article is in its unit (split pieces included), in order.
            var cursor = body.startIndex
            for paragraph in o["paragraphs"] as! [[String: Any]] {
                let texts = [paragraph["text"] as! String] + (paragraph["items"] as! [[String: Any]]).map { $0["text"] as! String }
                for text in texts where !text.isEmpty {
                    let found = body.range(of: text, range: cursor..<body.endIndex)
                    #expect(found != nil, "\(key): missing \(text.prefix(20))…")
                    if let found { cursor = found.lowerBound }
                }
            }
            // Each 項 and 号 is located as 第N項第M号 from the line that holds it (項 only when the article
            // has several), as the JSONL numbers them.
            let paragraphs = o["paragraphs"] as! [[String: Any]]
            for (p, paragraph) in paragraphs.enumerated() {
                let expectedParagraph = paragraphs.count > 1 ? p + 1 : nil
                var lines: [(text: String, item: Int?)] = [(paragraph["text"] as! String, nil)]
                for item in paragraph["items"] as! [[String: Any]] {
                    lines.append((item["text"] as! String, KanjiNumber.value(of: item["num"] as! String)))
                }
                // Lines repeated word for word inside the article (「第一項第一号に該当する個人情報」 under two 項)
                // cannot be told apart by their text.
                for (text, item) in lines where text.count >= 8 && body.components(separatedBy: text).count == 2 {
                    guard let chunk = chunks.first(where: { $0.text.contains(text) }) else { continue }
                    let located = StatutePosition.refine(chunk.locator, text: chunk.text, keywords: [TextNormalizer.normalize(text)])
                    #expect(located.paragraph == expectedParagraph && located.item == item,
                        "\(key): \(text.prefix(16))… located at 項 \(located.paragraph as Any) 号 \(located.item as Any)")
                    checkedLocators += 1
                }
            }
            // And nothing of the next article leaks in.
            if n + 1 < raw.count,
                let next = try JSONSerialization.jsonObject(with: Data(raw[n + 1].utf8)) as? [String: Any],
                next["law_title"] as? String == o["law_title"] as? String,
                let first = (next["paragraphs"] as? [[String: Any]])?.first?["text"] as? String, first.count > 15
            {
                #expect(!body.contains(first), "\(key) holds the start of the next article")
            }
        }
        #expect(checkedLocators > 60)
    }

    @Test func evalStatutesFindsEveryCitedArticleFirst() throws {
        guard let path = Self.articlesPath else {
            print("skipped: ../shared/data/ja_legal is absent")
            return
        }
        let result = try CLI.run(["eval", "statutes", "--articles", path])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(report["units_found"] as? Int == 1442)
        #expect(report["unexpected_units"] as? Int == 0)
        #expect((report["lookup_top1"] as? Double ?? 0) >= 0.99)
    }

    @Test func unreadableArticlesFileIsReported() throws {
        let result = try CLI.run(["eval", "statutes", "--articles", "/nonexistent/articles.jsonl"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error:") && result.stderr.contains("fix:"))
    }

    @Test func malformedArticleLineNamesTheLine() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let path = try TestEnvironment.write(
            """
            {"law_title":"行政手続法","article":"第一条","text":"第一条　この法律は…"}
            {"law_title":"行政手続法","text":"第二条がない"}
            """, to: "articles.jsonl", in: dir)
        let result = try CLI.run(["eval", "statutes", "--articles", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("articles.jsonl:2"))
        #expect(result.stderr.contains("fix:"))
        #expect(result.stdout.isEmpty)
    }
}

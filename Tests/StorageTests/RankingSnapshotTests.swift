import Foundation
import Testing
@testable import Storage
import TestSupport

/// Rankings over the demo content for a fixed query list, compared to a committed snapshot, so any change
/// in analysis or scoring shows up as a reviewed diff. Regenerate with HIROBA_UPDATE_SNAPSHOTS=1.
@Suite("Ranking snapshot over the demo content")
struct RankingSnapshotTests {
    static let queries = [
        "支出命令の入力期限",
        "パスワードを忘れた",
        "100万円以上の支出負担行為の決裁",
        "予算流用の手続き",
        "E-2031",
        "\"予算残額不足\"",
        "出納閉鎖",
        "資金前渡の限度額",
        "債権者の口座を変更したい",
        "公文書の保存期間",
        "生成AIに個人情報を入力してよいか",
        "財務規則 第三十条",
        "情報セキュリティインシデントの報告先",
        "帳票 印刷 -決算",
        "ヘルプデスクの内線番号",
    ]

    @Test func demoRankingMatchesSnapshot() throws {
        let (store, _) = try TestEnvironment.makeStore()
        let demo = TestEnvironment.demoDirectory
        for (folder, collection) in [("財務会計システム", "財務会計"), ("FAQ", "財務会計"), ("規程", "例規")] {
            let dir = demo.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() {
                // Sources are repository-relative so the snapshot does not depend on the checkout path.
                _ = try store.ingestFile(
                    path: dir.appendingPathComponent(name).path, collection: collection, source: "demo/\(folder)/\(name)")
            }
        }
        var lines: [String] = []
        for query in Self.queries {
            lines.append("## \(query)")
            for (i, hit) in try store.search(SearchRequest(query: query, k: 3)).hits.enumerated() {
                lines.append("\(i + 1). \(hit.citation) [\(hit.collection)]")
            }
        }
        let actual = lines.joined(separator: "\n") + "\n"
        let url = TestEnvironment.repositoryRoot.appendingPathComponent("Tests/StorageTests/Snapshots/demo-ranking.txt")
        if ProcessInfo.processInfo.environment["HIROBA_UPDATE_SNAPSHOTS"] != nil {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "ranking changed; review and regenerate with HIROBA_UPDATE_SNAPSHOTS=1")
    }
}

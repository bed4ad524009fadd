import Foundation
import Testing

@testable import Listening

@Suite struct CommentCorpusTests {
    static let corpus = CommentCorpus.generate(count: 20_000, seed: 2024)

    @Test func sameSeedGivesIdenticalComments() {
        let a = CommentCorpus.generate(count: 3_000, seed: 42)
        let b = CommentCorpus.generate(count: 3_000, seed: 42)
        #expect(a == b)
    }

    @Test func differentSeedGivesDifferentComments() {
        let a = CommentCorpus.generate(count: 3_000, seed: 42)
        let b = CommentCorpus.generate(count: 3_000, seed: 43)
        #expect(a != b)
        let differing = zip(a, b).filter { $0.text != $1.text }.count
        #expect(differing > 2_700)
    }

    @Test func aShorterCorpusIsAPrefixOfALongerOne() {
        let short = CommentCorpus.generate(count: 500, seed: 7)
        let long = CommentCorpus.generate(count: 1_500, seed: 7)
        #expect(short == Array(long.prefix(500)))
        #expect(CommentCorpus.generate(count: 0, seed: 7).isEmpty)
        #expect(CommentCorpus.generate(count: -1, seed: 7).isEmpty)
    }

    @Test func identifiersAndAttributes() {
        let comments = Self.corpus
        #expect(comments.first?.id == "c000001")
        #expect(comments[41].id == "c000042")
        #expect(comments.last?.id == "c020000")
        #expect(Set(comments.map(\.id)).count == comments.count)
        #expect(CommentCorpus.identifier(1_234_567) == "c1234567")
        let ages = Set(CommentCorpus.ageLabels), wards = Set(CommentCorpus.wardLabels), genders = Set(CommentCorpus.genderLabels)
        for c in comments {
            #expect(Set(c.attributes.keys) == ["年代", "地域", "性別"])
            #expect(ages.contains(c.attributes["年代"] ?? ""))
            #expect(wards.contains(c.attributes["地域"] ?? ""))
            #expect(genders.contains(c.attributes["性別"] ?? ""))
        }
        #expect(Set(comments.map { $0.attributes["年代"]! }).count == 8)
        #expect(Set(comments.map { $0.attributes["地域"]! }).count == 5)
    }

    @Test func lengthsVaryFromOneLinersToLetters() {
        let lengths = Self.corpus.filter { !$0.topic.isEmpty }.map(\.text.count)
        let mean = Double(lengths.reduce(0, +)) / Double(lengths.count)
        #expect((60...100).contains(mean))
        #expect((8...20).contains(lengths.min()!))
        #expect((200...330).contains(lengths.max()!))
        let short = lengths.filter { $0 <= 30 }.count, long = lengths.filter { $0 >= 150 }.count
        #expect(Double(short) / Double(lengths.count) > 0.05)
        #expect(Double(long) / Double(lengths.count) > 0.03)
    }

    @Test func topicsAreManyAndSkewed() {
        var counts: [String: Int] = [:]
        for c in Self.corpus where !c.topic.isEmpty { counts[c.topic, default: 0] += 1 }
        #expect(counts.count >= 24)
        #expect(Set(counts.keys) == Set(CommentCorpus.topicSources.map(\.key)))
        let sorted = counts.values.sorted(by: >)
        let total = Double(sorted.reduce(0, +))
        #expect(Double(sorted[0]) / total > 0.08)  // a few popular topics…
        #expect(Double(sorted[0]) / total < 0.35)
        #expect(sorted[0] > 8 * sorted.last!)  // …and a long tail
        // The mix itself depends on the seed.
        let other = CommentCorpus.generate(count: 5_000, seed: 99)
        let top = { (cs: [GeneratedComment]) in
            Dictionary(grouping: cs.filter { !$0.topic.isEmpty }, by: \.topic).mapValues(\.count).sorted { ($0.value, $0.key) > ($1.value, $1.key) }.prefix(5).map(\.key)
        }
        #expect(top(Array(Self.corpus.prefix(5_000))) != top(other))
    }

    @Test func someCommentsMentionASecondTopic() {
        let shifts = CommentCorpus.topicShifts.flatMap { $0 }
        let shifted = Self.corpus.filter { c in shifts.contains { c.text.contains($0) } }.count
        #expect(Double(shifted) / Double(Self.corpus.count) > 0.04)
    }

    @Test func campaignsLeaveExactAndNearDuplicates() {
        let comments = Self.corpus
        var byText: [String: Int] = [:]
        for c in comments { byText[c.text, default: 0] += 1 }
        // Campaign texts are long; exact copies of long texts come from campaigns only.
        let exactLongCopies = byText.filter { $0.key.count >= 120 && $0.value > 1 }.values.reduce(0, +)
        #expect(Double(exactLongCopies) / Double(comments.count) > 0.01)
        // Near copies: the same campaign opening with a different full text.
        var variants: [String: Set<String>] = [:]
        for c in comments where c.text.count >= 120 {
            for body in CommentCorpus.campaignSources.map(\.1) {
                let marker = String(body.drop { $0 != "。" }.prefix(30))  // a stretch after the first sentence
                if !marker.contains("{"), c.text.contains(marker) { variants[marker, default: []].insert(c.text) }
            }
        }
        #expect(variants.values.contains { $0.count >= 5 })
        let campaignRows = comments.filter { c in
            CommentCorpus.campaignSources.contains { c.text.contains(String($0.1.suffix(25))) }
        }.count
        #expect((0.015...0.05).contains(Double(campaignRows) / Double(comments.count)))
    }

    @Test func aboutOnePercentBlankOrContentless() {
        let blank = Self.corpus.filter { $0.topic.isEmpty }
        #expect((0.005...0.02).contains(Double(blank.count) / Double(Self.corpus.count)))
        #expect(blank.allSatisfy { $0.text.trimmingCharacters(in: .whitespacesAndNewlines).count <= 12 })
        #expect(blank.contains { $0.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty })
    }

    @Test func attributesCorrelateWithTopics() {
        func share(_ comments: [GeneratedComment], _ ages: Set<String>) -> Double {
            Double(comments.filter { ages.contains($0.attributes["年代"]!) }.count) / Double(comments.count)
        }
        let all = Self.corpus
        let childcare = all.filter { $0.topic == "子育て支援・保育園" }
        let elderly = all.filter { $0.topic == "高齢者福祉・介護" }
        #expect(share(childcare, ["30代", "40代"]) > share(all, ["30代", "40代"]) + 0.15)
        #expect(share(elderly, ["70代", "80代以上"]) > share(all, ["70代", "80代以上"]) + 0.15)
    }

    @Test func personalDataIsRareAndFictional() {
        let phones = Self.corpus.filter { $0.text.contains("-0000-") }
        #expect(!phones.isEmpty)
        #expect(Double(phones.count) / Double(Self.corpus.count) < 0.01)
        let pattern = try! Regex("0[789]0-0000-[0-9]{4}")
        #expect(phones.allSatisfy { $0.text.contains(pattern) })
        #expect(Self.corpus.contains { $0.text.contains("@example.com") })
    }

    @Test func everySlotIsFilled() {
        #expect(!Self.corpus.contains { $0.text.contains("{") || $0.text.contains("}") })
        #expect(Self.corpus.contains { $0.text.unicodeScalars.contains { (0xFF10...0xFF19).contains($0.value) } })  // ２０分
    }

    @Test func plainFormsOfContextClauses() {
        #expect(CommentCorpus.plainForm("駅の近くに住んでいます") == "駅の近くに住んでいる")
        #expect(CommentCorpus.plainForm("二人暮らしです") == "二人暮らしだ")
        #expect(CommentCorpus.plainForm("耳が聞こえにくいです") == "耳が聞こえにくい")
        #expect(CommentCorpus.plainForm("車を持っていません") == "車を持っていない")
        #expect(CommentCorpus.plainForm("運転免許を返納しました") == "運転免許を返納した")
        #expect(CommentCorpus.plainForm("視覚に障害があります") == "視覚に障害がある")
        let context = CorpusContext("[5-7f]夫を亡くして一人暮らしです")
        #expect(context.fits(age: 6, gender: 1) && !context.fits(age: 6, gender: 0) && !context.fits(age: 2, gender: 1))
    }

    @Test func csvRoundTrip() throws {
        var comments = Array(Self.corpus.prefix(3_000))
        comments.append(
            GeneratedComment(
                id: "c999999", text: " 「A,B」と\"引用\"\r\n二行目 ", attributes: ["年代": "30代", "地域": "北区", "性別": "女性"], topic: "x"))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try CommentCorpus.writeCSV(comments, to: url)
        let data = try Data(contentsOf: url)
        #expect(data.starts(with: Array("id,年代,地域,性別,意見\r\n".utf8)))
        let rows = Self.parseCSV(String(decoding: data, as: UTF8.self))
        #expect(rows.count == comments.count + 1)
        #expect(rows[0] == ["id", "年代", "地域", "性別", "意見"])
        for (row, c) in zip(rows.dropFirst(), comments) {
            #expect(row == [c.id, c.attributes["年代"]!, c.attributes["地域"]!, c.attributes["性別"]!, c.text])
        }
    }

    /// A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.unicodeScalars.append(chars.removeFirst()) } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                quoted = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\r" && chars.first == "\n" {
                chars.removeFirst()
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.unicodeScalars.append(c)
            }
        }
        return rows
    }
}

import Foundation
import Testing
@testable import Storage
@testable import WebApp
import HirobaCore
import Search

@Suite("Hand-written JSON for search responses")
struct JSONBytesTests {
    struct Sample: Codable, Equatable {
        var text: String
        var n: Int64
        var flag: Bool
        var score: Double
        var list: [String]
    }

    /// Whatever the strings hold, the output parses back to exactly what JSONEncoder's output parses to.
    @Test(arguments: [
        "支出命令", "", "\"quoted\" and \\backslash\\", "line\nbreak\ttab\rreturn", "\u{0}\u{1}\u{1F}\u{7F}",
        "</script><mark>", "emoji 🧾 and 𠮷", "\u{2028}\u{2029}", "a/b?c=d&e",
    ])
    func stringsRoundTrip(_ text: String) throws {
        for score in [0, 1, 12.3456, -0.0001, 1e-7, 123_456_789.125] {
            let sample = Sample(text: text, n: -42, flag: true, score: score, list: [text, "x"])
            var json = JSONBytes()
            json.beginObject()
            json.key("text")
            json.string(sample.text)
            json.key("n")
            json.int(sample.n)
            json.key("flag")
            json.bool(sample.flag)
            json.key("score")
            json.double(sample.score)
            json.key("list")
            json.beginArray()
            for item in sample.list { json.string(item) }
            json.endArray()
            json.endObject()
            let decoded = try JSONDecoder().decode(Sample.self, from: Data(json.bytes))
            #expect(decoded == sample, "\(text) \(score)")
            #expect(try JSONSerialization.jsonObject(with: Data(json.bytes)) is [String: Any])
        }
    }

    /// `decimal` writes the same number as printing the rounded value: every case parses back to exactly
    /// `(d · 10^p).rounded() / 10^p`, with no trailing zeros or exponent.
    @Test func decimalsMatchTheRoundedValue() throws {
        var random = SystemRandomNumberGenerator()
        var cases: [Double] = [0, -0.0, 1, -1, 12.3456, 12.34565, 0.00005, 0.00004, -0.0001, 1e-7, 123_456_789.125, 99.99995, 7.5e11]
        for _ in 0..<2000 { cases.append(Double.random(in: -1000...1000, using: &random)) }
        for _ in 0..<500 { cases.append(Double(Int.random(in: -100_000...100_000, using: &random)) / 10000) }
        for places in [0, 3, 4] {
            for d in cases {
                var json = JSONBytes()
                json.beginArray()
                json.decimal(d, places: places)
                json.endArray()
                let text = String(decoding: json.bytes, as: UTF8.self)
                let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [NSNumber]).first?.doubleValue
                var unit = 1.0
                for _ in 0..<places { unit *= 10 }
                let expected = (d * unit).rounded() / unit
                #expect(parsed == expected, "\(d) places \(places): \(text)")
                #expect(!text.contains("e") && !text.contains("E") && !(text.contains(".") && text.hasSuffix("0]")), "\(text)")
            }
        }
        var json = JSONBytes()
        json.beginArray()
        json.decimal(.nan, places: 4)
        json.decimal(12.5, places: 4)
        json.endArray()
        #expect(String(decoding: json.bytes, as: UTF8.self) == "[null,12.5]")
    }

    @Test func nonFiniteNumbersBecomeNullAndNestingIsWellFormed() throws {
        var json = JSONBytes()
        json.beginArray()
        json.double(.nan)
        json.double(.infinity)
        json.beginObject()
        json.endObject()
        json.beginArray()
        json.endArray()
        json.int(3)
        json.endArray()
        #expect(String(decoding: json.bytes, as: UTF8.self) == "[null,null,{},[],3]")
    }

    /// The search response carries each hit's citation, URL and locator exactly as the rest of the app writes them.
    @Test func searchResponseFieldsMatchTheHit() throws {
        let hits = [
            SearchHit(
                chunkID: ChunkID(42), documentID: DocumentID(7), collection: "財務", title: "財務会計マニュアル", source: "m.pdf",
                headingPath: [], locator: Locator(page: 12), score: 3.14159, snippet: "<mark>支出</mark>命令 \"第2条\"\\n", text: "支出命令", explanation: nil),
            SearchHit(
                chunkID: ChunkID(9_000_000_001), documentID: DocumentID(1), collection: "c", title: "\"題\"", source: "s",
                headingPath: [], locator: Locator(), score: 1, snippet: "", text: "", explanation: nil),
        ]
        let outcome = SearchService.Outcome(
            response: SearchResponse(hits: hits, totalMatches: 2, parsed: ParsedQuery(text: "支出")), milliseconds: 1.5)
        let body = APIController.searchBody(query: "支出", outcome: outcome)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.bytes)) as? [String: Any])
        let decoded = try #require(object["hits"] as? [[String: Any]])
        #expect(decoded.count == 2)
        for (hit, json) in zip(hits, decoded) {
            #expect(json["citation"] as? String == hit.citation)
            #expect(json["url"] as? String == citedURL(hit))
            #expect(json["locator"] as? String == hit.locator.display)
            #expect(json["title"] as? String == hit.title)
            #expect(json["chunk_id"] as? Int64 == hit.chunkID.rawValue)
            // Written from the snippet's bytes: the same text as the String the UI shows.
            #expect(json["snippet"] as? String == hit.snippet)
        }
    }

    @Test func integersAreWrittenAsSwiftPrintsThem() {
        for n: Int64 in [0, 1, -1, 9, 10, -10, 99, 100, 1_234_567_890, .max, .min, .max - 1, .min + 1] {
            var json = JSONBytes()
            json.int(n)
            #expect(String(decoding: json.bytes, as: UTF8.self) == String(n))
        }
    }

    /// Strings of every length around the 8-byte scan with escapes at every position parse back to themselves.
    @Test func escapesFoundAtEveryPositionOfTheWordScan() throws {
        let pieces = ["a", "\"", "\\", "\n", "\u{1}", "\u{1F}", " ", "あ", "𠮷", "~", "\u{7F}", "/", "予算"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2000 {
            var text = ""
            state = state &* 6364136223846793005 &+ 1442695040888963407
            for k in 0..<Int(state >> 59) {
                text += pieces[Int((state >> UInt64(k % 50)) % UInt64(pieces.count))]
            }
            var out: [UInt8] = [0x5B]
            JSONBytes.appendString(text, to: &out)
            out.append(0x5D)
            let parsed = try JSONSerialization.jsonObject(with: Data(out)) as? [String]
            #expect(parsed == [text])
        }
    }
}

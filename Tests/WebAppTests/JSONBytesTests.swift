import Foundation
import Testing
@testable import WebApp

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

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
}

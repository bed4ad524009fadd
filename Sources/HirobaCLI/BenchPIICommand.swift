import ArgumentParser
import Foundation
import JapaneseText
import Privacy
import Search

/// `hiroba bench pii`: detection and masking throughput on one thread, over a file or generated text.
///
/// Generated text: sentences of the benchmark corpus (JSQuAD passages when present, else the demo content)
/// with a line of personal data (name, phone, e-mail, address, postal code, My Number) every few
/// paragraphs, all values synthetic, seeded so runs repeat.
struct BenchPIICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pii", abstract: "Personal-data detection and masking throughput (one thread), MB/s and peak RSS as JSON.")

    @Argument(help: "UTF-8 text file (default: generated text).") var file: String?
    @Option(help: "Size of the generated text in MB.") var megabytes: Double = 4
    @Option(help: "Sentence source for generated text (a corpus.jsonl).") var source: String?
    @Option(help: "Repeat the measurement this many times and report the best.") var repeats: Int = 3
    @Flag(help: "Names by the rules alone, without the shipped name model (for comparison).") var noNameModel = false

    func run() throws {
        let text: String
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            text = try PIIInput.decode([UInt8](data), source: file)
        } else {
            text = try generate(bytes: Int(megabytes * 1_000_000))
        }
        let bytes = text.utf8.count
        let detector = noNameModel ? PIIDetector(model: try MeCabModel.shared(), nameModel: nil) : try PIIDetector()
        // Texts reach the gateway as documents and passages, not as one string: detect per paragraph.
        let paragraphs = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var detectBest = Double.infinity, maskBest = Double.infinity
        var counts: [String: Int] = [:]
        for _ in 0..<max(1, repeats) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            var found: [String: Int] = [:]
            for p in paragraphs { for e in try detector.detect(p) { found[e.kind.rawValue, default: 0] += 1 } }
            detectBest = min(detectBest, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            counts = found
            // One masking session per 8 paragraphs: a question and its retrieved passages.
            let t1 = DispatchTime.now().uptimeNanoseconds
            var session = PIIMaskingSession(detector: detector)
            for (n, p) in paragraphs.enumerated() {
                if n % 8 == 0 { session = PIIMaskingSession(detector: detector) }
                _ = try session.mask(p)
            }
            maskBest = min(maskBest, Double(DispatchTime.now().uptimeNanoseconds - t1) / 1e9)
        }
        // One call over the whole text as well (a single very long document).
        let t2 = DispatchTime.now().uptimeNanoseconds
        let whole = try detector.detect(text).count
        let wholeSeconds = Double(DispatchTime.now().uptimeNanoseconds - t2) / 1e9
        func r(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
        print(
            jsonString([
                "bytes": bytes, "characters": text.unicodeScalars.count, "paragraphs": paragraphs.count, "threads": 1,
                "detect_seconds": r(detectBest), "detect_mb_per_second": r(Double(bytes) / 1e6 / detectBest),
                "mask_seconds": r(maskBest), "mask_mb_per_second": r(Double(bytes) / 1e6 / maskBest),
                "whole_text_detect_seconds": r(wholeSeconds), "whole_text_mb_per_second": r(Double(bytes) / 1e6 / wholeSeconds),
                "whole_text_entities": whole, "entities_by_kind": counts, "peak_rss_bytes": ProcessMemory.peakBytes,
                "source": file ?? "generated",
            ]))
    }

    /// Corpus paragraphs with a synthetic personal-data line every third paragraph.
    func generate(bytes: Int) throws -> String {
        let (sentences, _) = try BenchCorpus.load(source: source)
        var generator = BenchCorpus.Generator(sentences: sentences, seed: 42)
        var rng = SplitMix64(seed: 11)
        let surnames = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
        let givenNames = ["太郎", "花子", "一郎", "美咲", "健太", "陽子", "大輔", "さくら", "翔", "由美"]
        let towns = ["千代田区紀尾井町", "札幌市中央区北一条西", "横浜市中区本町", "大阪市北区梅田", "福岡市博多区博多駅前"]
        var out = ""
        out.reserveCapacity(bytes + 1000)
        var n = 0
        while out.utf8.count < bytes {
            out += generator.chunk() + "\n"
            n += 1
            if n % 3 == 0 {
                func pick(_ a: [String]) -> String { a[Int(rng.next() % UInt64(a.count))] }
                let phone = String(format: "0%d-%04d-%04d", 3 + Int(rng.next() % 6), Int(rng.next() % 10000), Int(rng.next() % 10000))
                let block = "\(1 + rng.next() % 9)-\(1 + rng.next() % 30)-\(1 + rng.next() % 20)"
                let myNumber = Self.validMyNumber(&rng)
                out += "申請者 \(pick(surnames))\(pick(givenNames))様（電話 \(phone)、住所 〒100-\(String(format: "%04d", Int(rng.next() % 10000))) 東京都\(pick(towns))\(block)、"
                    + "メール user\(rng.next() % 1000)@example.jp、個人番号 \(myNumber)）から問い合わせがありました。\n"
            }
        }
        return out
    }

    static func validMyNumber(_ rng: inout SplitMix64) -> String {
        while true {
            let base = (0..<11).map { _ in UInt8(rng.next() % 10) }
            for check in UInt8(0)...9 where CheckDigit.isValidMyNumber(base + [check]) {
                return String(decoding: (base + [check]).map { $0 + 0x30 }, as: UTF8.self)
            }
        }
    }
}

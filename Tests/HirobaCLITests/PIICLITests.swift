import Foundation
import Testing
import TestSupport

@Suite("hiroba pii and eval pii", .serialized)
struct PIICLITests {
    let sample = "申請者 山田太郎様（電話 03-1234-5678）\n住所：〒102-0094 東京都千代田区紀尾井町1-3\n個人番号 1234-5678-9018\n"

    @Test func detectReadableAndJSON() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let path = try TestEnvironment.write(sample, to: "申請.txt", in: dir)
        let readable = try CLI.run(["pii", "detect", path])
        #expect(readable.status == 0, "\(readable.stderr)")
        #expect(readable.stdout.contains("個人情報 5 件"), "\(readable.stdout)")
        #expect(readable.stdout.contains("1:5\t氏名\t山田太郎"))
        #expect(readable.stdout.contains("3:6\tマイナンバー\t1234-5678-9018"))

        let json = try CLI.run(["pii", "detect", path, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let entities = try #require(object["entities"] as? [[String: Any]])
        #expect(entities.map { $0["kind"] as? String } == ["person_name", "phone_number", "postal_code", "address", "my_number"])
        let phone = try #require(entities.first { $0["kind"] as? String == "phone_number" })
        #expect(phone["start"] as? Int == 13)
        #expect(phone["utf16_end"] as? Int == 25)
    }

    @Test func maskKeepsOriginalsOutUnlessAsked() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let path = try TestEnvironment.write(sample, to: "申請.txt", in: dir)
        let masked = try CLI.run(["pii", "mask", path])
        #expect(masked.status == 0, "\(masked.stderr)")
        #expect(masked.stdout.hasPrefix("申請者 [氏名1]様（電話 [電話番号1]）\n住所：〒[郵便番号1] [住所1]\n個人番号 [マイナンバー1]"))
        for original in ["山田太郎", "03-1234-5678", "紀尾井町", "9018"] {
            #expect(!masked.stdout.contains(original))
            #expect(!masked.stderr.contains(original))
        }
        let json = try CLI.run(["pii", "mask", path, "--json"])
        #expect(!json.stdout.contains("山田太郎"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["masked_text"] as? String)?.contains("[住所1]") == true)
        #expect(object["mapping"] == nil)

        let shown = try CLI.run(["pii", "mask", path, "--json", "--show-mapping"])
        let withMapping = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect((withMapping["mapping"] as? [String: String])?["[氏名1]"] == "山田太郎")
        let readable = try CLI.run(["pii", "mask", path, "--show-mapping", "--kinds", "phone_number"])
        #expect(readable.stdout.contains("山田太郎"))  // only phone numbers were masked
        #expect(readable.stderr.contains("[電話番号1]\t03-1234-5678"))
    }

    @Test func standardInput() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["pii", "mask", "-"]
        let input = Pipe(), out = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: Data("連絡先 090-1111-2222".utf8))
        try input.fileHandleForWriting.close()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(stdout == "連絡先 [電話番号1]\n")
    }

    @Test func binaryAndNonUTF8FilesAreRefusedWithAFix() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let binary = dir.appendingPathComponent("a.bin")
        try Data([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0xFF]).write(to: binary)
        let b = try CLI.run(["pii", "detect", binary.path])
        #expect(b.status == 1)
        #expect(b.stderr.contains("error: ") && b.stderr.contains("バイナリ") && b.stderr.contains("fix: "), "\(b.stderr)")

        let sjis = dir.appendingPathComponent("sjis.txt")
        try Data([0x8E, 0x52, 0x93, 0x63, 0x91, 0xBE, 0x98, 0x59]).write(to: sjis)  // 山田太郎 in Shift_JIS
        let s = try CLI.run(["pii", "mask", sjis.path])
        #expect(s.status == 1)
        #expect(s.stderr.contains("UTF-8") && s.stderr.contains("iconv"), "\(s.stderr)")
    }

    @Test func evalOnATinyDataset() throws {
        let dir = TestEnvironment.temporaryDirectory()
        try TestEnvironment.write(
            """
            {"type": "my_number", "value": "123456789018", "valid": true}
            {"type": "my_number", "value": "123456789019", "valid": false}
            {"type": "corporate_number", "value": "7000012050002", "valid": true}
            """, to: "identifier_checkdigit_cases.jsonl", in: dir)
        try TestEnvironment.write(
            """
            {"id": "t-0", "input": "東京都千代田区紀尾井町1-3", "pref": "東京都", "city": "千代田区", "oaza_cho": "紀尾井町", "blk_num": "1"}
            {"id": "t-1", "input": "札幌市中央区北２条西２３丁目１－１０", "pref": "北海道", "city": "札幌市", "ward": "中央区", "oaza_cho": "北二条西", "chome": "二十三丁目", "blk_num": "1"}
            """, to: "address_normalization_cases.jsonl", in: dir)
        try TestEnvironment.write(
            """
            {"id": "n-0", "text": "山田太郎は市長に就任した。", "entities": [{"start": 0, "end": 4, "label": "PERSON"}]}
            {"id": "n-1", "text": "住友化学は企業である。", "entities": [{"start": 0, "end": 4, "label": "ORGANIZATION"}]}
            """, to: "ner_wikipedia_spans.jsonl", in: dir)
        let run = try CLI.run(["eval", "pii", "--data", dir.path, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["identifier_recall"] as? Double == 1.0)
        #expect(object["identifier_false_accepts"] as? Int == 0)
        #expect(object["address_recall"] as? Double == 1.0)
        #expect(object["name_recall"] as? Double == 1.0)
        #expect(object["name_precision"] as? Double == 1.0)
        let cases = try #require(object["identifier_cases"] as? [String: Any])
        #expect(cases["valid_sentences"] as? Int == 8)

        let missing = try CLI.run(["eval", "pii", "--data", dir.appendingPathComponent("nowhere").path])
        #expect(missing.status != 0)
    }

    /// `hiroba train names` on a tiny data set: a weights file that `eval pii --name-model` reads back; missing
    /// and malformed data give an error naming the file and line.
    @Test func trainNamesAndItsBadInput() throws {
        let dir = TestEnvironment.temporaryDirectory()
        var lines: [String] = []
        for (n, name) in ["ラウリー", "ボルコフ", "ミッチャム", "グレッグソン"].enumerated() {
            let length = name.unicodeScalars.count
            lines.append(#"{"curid": "\#(n)", "text": "\#(name)は、その夜に帰国したと語った。", "entities": [{"start": 0, "end": \#(length), "label": "PERSON"}]}"#)
            lines.append(#"{"curid": "\#(n)", "text": "ヌクレオシドは塩基と糖からなる。", "entities": []}"#)
        }
        let data = try TestEnvironment.write(lines.joined(separator: "\n") + "\n", to: "ner_wikipedia_spans.jsonl", in: dir)
        let out = dir.appendingPathComponent("names.model").path
        let run = try CLI.run(["train", "names", "--data", dir.path, "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(summary["sentences"] as? Int == 8)
        #expect(summary["articles"] as? Int == 4)
        let weights = try String(contentsOfFile: out, encoding: .utf8)
        #expect(weights.hasPrefix("hiroba-name-model 1\n"))
        let again = try CLI.run(["train", "names", "--data", data, "--out", out + "2"])
        #expect(again.status == 0)
        #expect(try String(contentsOfFile: out + "2", encoding: .utf8) == weights, "same data, same bytes")
        let swift = try CLI.run(["train", "names", "--data", data, "--out", dir.appendingPathComponent("W.swift").path])
        #expect(swift.status == 0)
        #expect(try String(contentsOfFile: dir.appendingPathComponent("W.swift").path, encoding: .utf8).contains("enum NameModelWeights"))

        let missing = try CLI.run(["train", "names", "--data", dir.appendingPathComponent("nowhere").path, "--out", out])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("not found"), "\(missing.stderr)")

        let broken = try TestEnvironment.write(lines[0] + "\n{\"curid\": 1, \"text\": \n", to: "broken.jsonl", in: dir)
        let malformed = try CLI.run(["train", "names", "--data", broken, "--out", out])
        #expect(malformed.status != 0)
        #expect(malformed.stderr.contains("broken.jsonl:2: not a JSON object"), "\(malformed.stderr)")

        let badSpan = try TestEnvironment.write(#"{"curid": 1, "text": "山田", "entities": [{"start": 0, "end": 9, "label": "PERSON"}]}"#, to: "span.jsonl", in: dir)
        let outside = try CLI.run(["train", "names", "--data", badSpan, "--out", out])
        #expect(outside.status != 0)
        #expect(outside.stderr.contains("span.jsonl:1:"), "\(outside.stderr)")
    }
}

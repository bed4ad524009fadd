import Foundation
import Ingest
import Testing
import TestSupport
import ZIPFoundation

@testable import Proofreading

@Suite struct EngineTests {
    @Test func positionsCountUTF16AndScalars() throws {
        // 𠮟 is outside the BMP: two UTF-16 units, one scalar.
        let text = "𠮟る。\nこれはは問題。"
        let f = try findings("successive-word", text)
        #expect(f.count == 1)
        let p = try #require(f.first)
        #expect(p.start.line == 2)
        #expect(p.start.column == 4)  // 1-based UTF-16 column of the second は
        #expect(p.start.scalarOffset == 7)
        #expect(p.start.utf16Offset == 8)
        #expect(p.excerpt == "は")
    }

    @Test func emptyAndWhitespaceTextGiveEmptyReports() throws {
        let proofreader = try Proofreader()
        for text in ["", " \n\n\u{3000}\n"] {
            let report = try proofreader.check(text)
            #expect(report.findings.isEmpty)
            #expect(report.sentences == 0)
        }
    }

    @Test func controlCharactersAreReportedAndOtherRulesStillRun() throws {
        let report = try Proofreader().check("申請書\u{0000}を提出して下さい\u{001B}。これはは問題。")
        let ids = Set(report.findings.map(\.finding.ruleID))
        #expect(ids.contains("control-character"))
        #expect(ids.contains("successive-word"))
    }

    @Test func longSingleLineCompletes() throws {
        // One line, no sentence end: MeCab must see it in pieces, and the report must still place findings.
        // 2 MB here (debug build); `bench/proofread-bad-input.sh` runs the 10 MB line on the release binary.
        let unit = "申請書を提出してます、"
        let text = String(repeating: unit, count: 2_000_000 / unit.utf8.count)
        #expect(text.utf8.count > 1_990_000)
        let report = try Proofreader().check(text)
        #expect(report.sentences == 1)
        let iNuki = report.findings.filter { $0.finding.ruleID == "i-nuki" }
        #expect(iNuki.count == 2_000_000 / unit.utf8.count)
        #expect(iNuki.last?.start.line == 1)
    }

    @Test func fixerAppliesCertainFixesAndSkipsOverlaps() throws {
        let report = try Proofreader().check("ｶﾀｶﾅで開発してます。")
        let result = Fixer.apply(report.findings.map(\.finding), to: "ｶﾀｶﾅで開発してます。")
        #expect(result.text == "カタカナで開発しています。")
        let a = Finding(ruleID: "a", category: .notation, severity: .info, message: "", range: 0..<3, replacement: "X")
        let b = Finding(ruleID: "b", category: .notation, severity: .info, message: "", range: 1..<2, replacement: "Y")
        let overlapping = Fixer.apply([a, b], to: "abcd")
        #expect(overlapping.text == "Xd")
        #expect(overlapping.skipped.map(\.ruleID) == ["b"])
    }

    @Test func configurationIsValidated() throws {
        let catalog = Proofreader.catalog
        let ok = try ProofreadingConfiguration.parse(
            json: Data(#"{"rules": {"kanji-run": {"options": {"max": 5}}, "weak-phrase": false}}"#.utf8), rules: catalog)
        #expect(ok.enabled["weak-phrase"] == false)
        #expect(ok.options(for: "kanji-run").int("max", default: 0) == 5)
        #expect(throws: ProofreadingError.unknownRule("no-such-rule", known: catalog.map(\.id).sorted())) {
            try ProofreadingConfiguration.parse(json: Data(#"{"rules": {"no-such-rule": true}}"#.utf8), rules: catalog)
        }
        #expect(throws: ProofreadingError.badOption(rule: "kanji-run", key: "maximum", why: "このルールにないオプションです")) {
            try ProofreadingConfiguration.parse(json: Data(#"{"rules": {"kanji-run": {"options": {"maximum": 5}}}}"#.utf8), rules: catalog)
        }
        #expect(throws: ProofreadingError.badConfiguration("JSON として読めません")) {
            try ProofreadingConfiguration.parse(json: Data("{rules".utf8), rules: catalog)
        }
        // A disabled-by-default rule can be enabled.
        let jtf = try ProofreadingConfiguration.parse(json: Data(#"{"rules": {"period-before-closing-bracket": true}}"#.utf8), rules: catalog)
        let report = try Proofreader(configuration: jtf).check("「発売します。」と述べた。")
        #expect(report.findings.contains { $0.finding.ruleID == "period-before-closing-bracket" })
        #expect(try !Proofreader().check("「発売します。」と述べた。").findings.contains { $0.finding.ruleID == "period-before-closing-bracket" })
    }

    @Test func organisationTermListFromShiftJISCSV() throws {
        let csv = "誤った表記,正しい表記,説明\n問合せ,問い合わせ,みなと市用字用語例\nホームページ,ウェブサイト,\n"
        let sjis = try #require(LegacyEncoding.cp932.encode(csv))
        var config = ProofreadingConfiguration()
        config.terms = try TermEntry.parseList(sjis)
        #expect(config.terms.count == 2)
        let report = try Proofreader(configuration: config).check("ホームページの問合せ窓口")
        let custom = report.findings.filter { $0.finding.ruleID == "custom-terms" }
        #expect(custom.map(\.excerpt) == ["ホームページ", "問合せ"])
        #expect(custom.first?.finding.replacement == "ウェブサイト")
        #expect(throws: ProofreadingError.badTermList(line: 2, why: "誤った表記と正しい表記の2列が必要です")) {
            try TermEntry.parseList(Data("誤,正\nひとつだけ\n".utf8))
        }
        #expect(throws: ProofreadingError.badTermList(line: 2, why: "「問合せ」が2回出てきます")) {
            try TermEntry.parseList(Data("問合せ,問い合わせ\n問合せ,照会\n".utf8))
        }
    }

    @Test func mixedEncodingsAreRefusedClearly() throws {
        var bytes = Data("UTF-8 の行です。\n".utf8)
        bytes.append(try #require(LegacyEncoding.cp932.encode("シフトJISの行です。\n")))
        #expect(throws: IngestError.self) { try ProofreadingSource.decodePlain(bytes, path: "mixed.txt") }
        do {
            _ = try ProofreadingSource.decodePlain(bytes, path: "mixed.txt")
        } catch let error as IngestError {
            #expect(error.message.contains("mixed.txt"))
        }
        let sjisOnly = try #require(LegacyEncoding.cp932.encode("申請書を提出して下さい。"))
        let (text, warnings) = try ProofreadingSource.decodePlain(sjisOnly, path: "sjis.txt")
        #expect(text == "申請書を提出して下さい。")
        #expect(warnings.count == 1)
    }

    @Test func docxTrackedChangesReadAsAccepted() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let path = dir.appendingPathComponent("tracked.docx").path
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
            <w:p><w:r><w:t>申請書を</w:t></w:r><w:del w:id="1" w:author="a"><w:r><w:delText>削除した文を</w:delText></w:r></w:del>
            <w:ins w:id="2" w:author="a"><w:r><w:t>開発してます。</w:t></w:r></w:ins></w:p>
            </w:body></w:document>
            """
        let data = Data(xml.utf8)
        try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: Int64(data.count)) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
        let loaded = try ProofreadingSource.load(path: path)
        #expect(loaded.converted)
        #expect(loaded.text.contains("申請書を開発してます。"))
        #expect(!loaded.text.contains("削除した文"))
        let report = try Proofreader().check(loaded.text)
        #expect(report.findings.contains { $0.finding.ruleID == "i-nuki" })
    }
}

@Suite struct TermTableOptionTests {
    @Test func organisationsCanSilenceTableEntries() throws {
        let config = try ProofreadingConfiguration.parse(
            json: Data(#"{"rules": {"koyobun-terms": {"options": {"ignore": ["および"]}}}}"#.utf8), rules: Proofreader.catalog)
        let text = "申請書、および添付書類を提出する。"
        #expect(try Proofreader().check(text).findings.contains { $0.finding.ruleID == "koyobun-terms" && $0.excerpt == "および" })
        #expect(try !Proofreader(configuration: config).check(text).findings.contains { $0.finding.ruleID == "koyobun-terms" })
    }
}

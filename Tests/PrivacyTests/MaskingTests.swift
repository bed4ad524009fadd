import Testing

@testable import Privacy

@Suite struct MaskingTests {
    let sample = "申請者 山田太郎様（電話 03-1234-5678）から、住所を東京都千代田区紀尾井町1-3に変更したいとの連絡。メール taro@example.jp"

    @Test func maskAndRestoreRoundTrip() throws {
        var session = PIIMaskingSession(detector: try detector())
        let masked = try session.mask(sample)
        #expect(masked.text == "申請者 [氏名1]様（電話 [電話番号1]）から、住所を[住所1]に変更したいとの連絡。メール [メールアドレス1]")
        #expect(masked.replacements.map(\.placeholder) == ["[氏名1]", "[電話番号1]", "[住所1]", "[メールアドレス1]"])
        #expect(session.restore(masked.text) == sample)
        for r in masked.replacements { #expect(!masked.text.contains(r.entity.text)) }
    }

    @Test func sameValueSamePlaceholderAcrossTexts() throws {
        var session = PIIMaskingSession(detector: try detector())
        let question = try session.mask("山田太郎さんの電話番号は03-1234-5678ですか。")
        let passage1 = try session.mask("担当：佐藤花子\n連絡先 ０３－１２３４－５６７８（山田 太郎）")
        let passage2 = try session.mask("佐藤花子さんと山田太郎さん")
        #expect(question.text == "[氏名1]さんの電話番号は[電話番号1]ですか。")
        #expect(passage1.text == "担当：[氏名2]\n連絡先 [電話番号1]（[氏名1]）")
        #expect(passage2.text == "[氏名2]さんと[氏名1]さん")
        #expect(session.vault.count == 3)
        // The first spelling is what comes back.
        #expect(session.restore("[電話番号1]") == "03-1234-5678")
    }

    @Test func namesFromEarlierTextsAreMaskedLater() throws {
        var session = PIIMaskingSession(detector: try detector())
        _ = try session.mask("草彅さんからの問い合わせ")  // known only through the honorific
        let passage = try session.mask("前回、草彅は窓口で説明を受けた。草彅川は別物。")
        #expect(passage.text == "前回、[氏名1]は窓口で説明を受けた。草彅川は別物。")
    }

    @Test func unknownAndMangledPlaceholdersStayAsTheyAre() throws {
        var session = PIIMaskingSession(detector: try detector())
        _ = try session.mask("山田太郎さん")
        #expect(session.restore("[氏名1]と[氏名9]と[氏名]と[氏名1と[不明1]") == "山田太郎と[氏名9]と[氏名]と[氏名1と[不明1]")
        #expect(session.restore("［氏名１］さん") == "山田太郎さん")  // full-width brackets and digits
        #expect(session.restore("") == "")
        #expect(PIIMaskingSession(detector: try detector()).restore("[氏名1]") == "[氏名1]")  // empty vault
    }

    @Test func kindFilter() throws {
        var session = PIIMaskingSession(detector: try detector(), kinds: [.phoneNumber, .email])
        let masked = try session.mask(sample)
        #expect(masked.text.contains("山田太郎"))
        #expect(masked.text.contains("東京都千代田区紀尾井町1-3"))
        #expect(!masked.text.contains("03-1234-5678"))
        #expect(!masked.text.contains("taro@example.jp"))
    }

    @Test func emptyAndPlainText() throws {
        var session = PIIMaskingSession(detector: try detector())
        #expect(try session.mask("").text == "")
        #expect(try session.mask("本日は晴天なり。").replacements.isEmpty)
        #expect(try detector().detect("   \n\n") == [])
    }

    @Test func longTextWithoutLineBreaks() throws {
        // 1.2 MB on one line: MeCab gets it in pieces; offsets stay right at the end of the text.
        let unit = "本日の会議では予算について議論しました、"
        let text = String(repeating: unit, count: 20_000) + "連絡先は090-1234-5678です。"
        let entities = try detector().detect(text)
        let phone = try #require(entities.last)
        #expect(phone.kind == .phoneNumber)
        #expect(phone.text == "090-1234-5678")
        #expect(phone.scalarRange.lowerBound == unit.unicodeScalars.count * 20_000 + 4)
    }
}

@Suite struct StreamRestorerTests {
    func session() throws -> PIIMaskingSession {
        var session = PIIMaskingSession(detector: try detector())
        _ = try session.mask("山田太郎さん、電話03-1234-5678")
        return session
    }

    /// Feeds chunks and returns every emitted piece (the last from finish()).
    func stream(_ chunks: [String], _ session: PIIMaskingSession) -> [String] {
        var restorer = session.makeStreamRestorer()
        var out = chunks.map { restorer.feed($0) }
        out.append(restorer.finish())
        return out
    }

    @Test func placeholderSplitAcrossChunks() throws {
        let s = try session()
        let pieces = stream(["回答：[氏", "名1]さんの番号は[電話", "番号", "1", "]です。"], s)
        #expect(pieces.joined() == "回答：山田太郎さんの番号は03-1234-5678です。")
        // Nothing half-restored is ever shown: the first piece stops before the bracket.
        #expect(pieces[0] == "回答：")
        #expect(!pieces.contains { $0.contains("[") })
    }

    @Test func everySplitPointGivesTheSameText() throws {
        let s = try session()
        let answer = "[氏名1]さん（[電話番号1]）に連絡します。[氏名2]は不明。"
        let expected = "山田太郎さん（03-1234-5678）に連絡します。[氏名2]は不明。"
        let scalars = Array(answer.unicodeScalars)
        for cut in 0...scalars.count {
            let a = String(String.UnicodeScalarView(scalars[..<cut])), b = String(String.UnicodeScalarView(scalars[cut...]))
            #expect(stream([a, b], s).joined() == expected, "cut at \(cut)")
        }
        // One scalar per chunk.
        #expect(stream(scalars.map { String($0) }, s).joined() == expected)
    }

    @Test func incompletePlaceholderIsFlushedAtFinish() throws {
        let s = try session()
        #expect(stream(["終わり[氏名"], s) == ["終わり", "[氏名"])
        #expect(stream(["配列[0]と[x"], s).joined() == "配列[0]と[x")
        // A bracket that cannot become a placeholder is not held back.
        #expect(stream(["[注]本文"], s) == ["[注]本文", ""])
    }
}

@Suite struct InputTests {
    @Test func decodesUTF8AndDropsBOM() throws {
        #expect(try PIIInput.decode([0xEF, 0xBB, 0xBF] + Array("山田".utf8), source: "a.txt") == "山田")
        #expect(try PIIInput.decode([], source: "empty.txt") == "")
    }

    @Test func refusesBinaryAndOtherEncodings() {
        #expect(throws: PrivacyError.binaryInput(source: "a.bin")) { try PIIInput.decode([0x50, 0x4B, 0x03, 0x04, 0x00, 0x01], source: "a.bin") }
        // 山田 in Shift_JIS.
        #expect(throws: PrivacyError.notUTF8(source: "sjis.txt", byteOffset: 2)) {
            try PIIInput.decode([0x41, 0x42, 0x8E, 0x52, 0x93, 0x63], source: "sjis.txt")
        }
        let error = PrivacyError.notUTF8(source: "x", byteOffset: 0)
        #expect(error.fix.contains("iconv"))
    }
}

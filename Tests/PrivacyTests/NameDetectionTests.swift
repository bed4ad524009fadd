import Testing

@testable import Privacy

@Suite struct NameDetectionTests {
    @Test func taggedFullNames() throws {
        #expect(try texts("山田太郎が申請した。", .personName) == ["山田太郎"])
        #expect(try texts("山田 太郎 が申請した。", .personName) == ["山田 太郎"])
        #expect(try texts("佐竹晴雄、佃隆之らが在籍した。", .personName) == ["佐竹晴雄", "佃隆之"])
    }

    @Test func honorificsAndTitles() throws {
        #expect(try texts("草彅さんに連絡した。", .personName) == ["草彅"])  // MeCab does not know the name
        #expect(try texts("ヤマダ様から電話がありました。", .personName) == ["ヤマダ"])
        #expect(try texts("田中部長様へ", .personName) == ["田中"])
        #expect(try texts("佐藤議員が質問した。", .personName) == ["佐藤"])
    }

    @Test func commonForeignNamesStandAloneButNotInCompounds() throws {
        #expect(try texts("グエンは昨日、転入届を提出した。", .personName) == ["グエン"])
        #expect(try texts("窓口でシュミットとペトロワが待っていた。", .personName) == ["シュミット", "ペトロワ"])
        #expect(try texts("ゴンザレス社の見積書を添付する。", .personName).isEmpty, "a surname glued to a noun names a thing")
        #expect(try texts("カーブミラーの設置を要望する。", .personName).isEmpty, "everyday katakana words are not in the lexicon")
    }

    @Test func honorificsOnOrdinaryWordsAreNotNames() throws {
        #expect(try texts("皆様、お客様、奥さん、店員さん、お母さん", .personName).isEmpty)
        #expect(try texts("同様の様子を見た。", .personName).isEmpty)
    }

    @Test func formLabels() throws {
        #expect(try texts("氏名：ヤマダ タロウ\n", .personName) == ["ヤマダ タロウ"])
        #expect(try texts("担当: 佐藤\n", .personName) == ["佐藤"])
        #expect(try texts("申請者 やまだ はなこ\n", .personName) == ["やまだ はなこ"])
        #expect(try texts("氏名：なし", .personName).isEmpty)
    }

    @Test func readingAfterAName() throws {
        #expect(try texts("相談者氏名：鈴木 一郎（スズキ イチロウ）\n", .personName) == ["鈴木 一郎", "スズキ イチロウ"])
    }

    @Test func foreignNames() throws {
        #expect(try texts("ジョン・ワトソンが来日した。", .personName) == ["ジョン・ワトソン"])
        #expect(try texts("兄のジャック・ブリソーも画家になった。", .personName) == ["ジャック・ブリソー"])
    }

    @Test func organisationsPlacesAndThingsAreNotNames() throws {
        #expect(try texts("住友化学と三井化学が提携した。", .personName).isEmpty)
        #expect(try texts("ニューヨーク・ヤンキースが勝った。", .personName).isEmpty)
        #expect(try texts("ツール・ド・フランスに出場", .personName).isEmpty)
        #expect(try texts("ディー・エヌ・エーと合弁", .personName).isEmpty)
    }

    @Test func municipalVocabularyIsNotNames() throws {
        // Words of an accounting manual that MeCab splits or tags oddly (調|定, 前|渡 as a given name, 後|閲).
        let manual = "本章では、歳入の調定、納入通知書の発行を説明します。調定は、会計課が行います。\n## 4.6 資金前渡\n資金前渡職員は精算します。"
            + "代決した伝票は、本来の決裁者の後閲が必要です。"
        #expect(try texts(manual, .personName).isEmpty)
    }

    @Test func laterMentionsOfAFoundName() throws {
        // The first mention is sure (surname + given name); the bare surname later has no context.
        #expect(try texts("山田太郎が申請した。その後、山田は取り下げた。", .personName) == ["山田太郎", "山田"])
    }

    /// IPAdic lists 福島 and 宮崎 as surnames as well as places, and 正則 as a given name as well as a common
    /// word; MeCab's best path keeps only the place and the word.
    @Test(arguments: [
        ("福島正則は戦国武将である。", ["福島正則"]),
        ("杉山正義と会った。", ["杉山正義"]),
        ("長崎啓二が首位打者になった。", ["長崎啓二"]),
    ])
    func surnameAndGivenNameFromTheDictionaryLists(_ text: String, _ names: [String]) throws {
        #expect(try texts(text, .personName) == names)
    }

    /// A place read as a surname needs a given name or a person cue next to it; common words listed as
    /// given names (時代, 工事) do not make a place a person.
    @Test(arguments: [
        "宮崎県の人口が増えた。",
        "江戸時代の町並みが残る。",
        "築城工事が始まった。",
        "福島の桃が届いた。",
    ])
    func placesAndWordsAreNotNames(_ text: String) throws {
        #expect(try texts(text, .personName).isEmpty, "\(text)")
    }

    /// Chinese and Korean names of three kanji that MeCab cuts into pieces.
    @Test(arguments: [
        ("袁世凱は大総統に就任した。", ["袁世凱"]),
        ("朴槿恵が当選した。", ["朴槿恵"]),
        ("社長の金載昊と会談した。", ["金載昊"]),
    ])
    func chineseAndKoreanNames(_ text: String, _ names: [String]) throws {
        #expect(try texts(text, .personName) == names)
    }

    /// The same surname characters starting ordinary words stay words.
    @Test(arguments: [
        "金曜日に会議がある。", "張本人は誰だ。", "陳列棚に商品を並べた。", "王国の歴史を学ぶ。", "周辺部の開発が進む。", "葉緑体で光合成が行われる。",
        // Municipal text: places, facilities and offices that start with such a character or a place surname.
        "熊本城の復旧工事が進む。", "熊本駅から徒歩で向かった。", "呉駅前の広場を整備する。", "文化課に照会した。", "陳情書を受理した。",
        "曽根崎署に届け出た。", "門司区役所の窓口で受け付けた。", "宋朝の陶磁器を展示した。",
    ])
    func wordsStartingWithASurnameCharacterAreNotNames(_ text: String) throws {
        #expect(try texts(text, .personName).isEmpty, "\(text)")
    }

    /// A foreign surname alone with a role before it or a person's predicate after it.
    @Test(arguments: [
        ("宰相シュタインが改革を進めた。", ["シュタイン"]),
    ])
    func foreignSurnamesWithARoleOrAPersonPredicate(_ text: String, _ names: [String]) throws {
        #expect(try texts(text, .personName) == names)
    }

    /// Unknown katakana words: a Slavic or German surname ending stands alone; any other needs a cue (a
    /// technical term opening a sentence is not a person).
    @Test(arguments: [
        ("新人のチュブコフが出撃した。", ["チュブコフ"]),
        ("ヌクレオシドは塩基と糖からなる。", []),
        ("ボサノヴァは音楽の一つである。", []),
        ("昨日、ラウリーに行った。", []),
    ])
    func unknownKatakanaWords(_ text: String, _ names: [String]) throws {
        #expect(try texts(text, .personName) == names)
    }

    /// A numeral may be part of a given name after a surname, never the whole of it (山田一人 is "Yamada alone").
    @Test func numeralsInGivenNames() throws {
        #expect(try texts("岡本三司に連絡した。", .personName) == ["岡本三司"])
        #expect(try !texts("山田一人が残った。", .personName).contains("山田一人"))
        #expect(try !texts("田中三人は帰った。", .personName).contains("田中三人"))
    }

    @Test func addressesWinOverNames() throws {
        let all = try found("住所：東京都千代田区紀尾井町1-3、氏名：山田太郎")
        #expect(all.map(\.0) == [.address, .personName])
    }
}

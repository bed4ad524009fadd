import Testing

@testable import Privacy

@Suite struct AddressDetectionTests {
    @Test func prefectureLedAddresses() throws {
        #expect(try texts("申請者は東京都千代田区紀尾井町1-3に住んでいます。", .address) == ["東京都千代田区紀尾井町1-3"])
        #expect(try texts("北海道札幌市中央区北1条西2丁目1番地の会場", .address) == ["北海道札幌市中央区北1条西2丁目1番地"])
        #expect(try texts("所在：東京都千代田区紀尾井町１丁目３番地。", .address) == ["東京都千代田区紀尾井町１丁目３番地"])
        #expect(try texts("東京都千代田区紀尾井町三丁目の交差点", .address) == ["東京都千代田区紀尾井町三丁目"])
        #expect(try texts("千葉県山武郡横芝光町横芝字真砂482番地の2です", .address) == ["千葉県山武郡横芝光町横芝字真砂482番地の2"])
        #expect(try texts("東京都千代田区紀尾井町壱丿３", .address) == ["東京都千代田区紀尾井町壱丿３"])
    }

    @Test func halfWidthKanaAndHyphenVariants() throws {
        #expect(try texts("岩手県胆沢郡金ｹ崎町西根大谷120 金ケ崎小学校", .address).first == "岩手県胆沢郡金ｹ崎町西根大谷120 金ケ崎小学校")
        #expect(try texts("東京都千代田区紀尾井町1ー3", .address) == ["東京都千代田区紀尾井町1ー3"])
        #expect(try texts("東京都千代田区紀尾井町1－3", .address) == ["東京都千代田区紀尾井町1－3"])
    }

    @Test func municipalityLedAddresses() throws {
        #expect(try texts("本社は千代田区紀尾井町1-3にある。", .address) == ["千代田区紀尾井町1-3"])
        #expect(try texts("札幌市中央区北1条西2丁目で", .address) == ["札幌市中央区北1条西2丁目"])
        #expect(try texts("送り先は伏見区淀美豆町1244です", .address) == ["伏見区淀美豆町1244"])
        #expect(try texts("上京区御前通今出川上る鳥居前町671に", .address) == ["上京区御前通今出川上る鳥居前町671"])
    }

    @Test func buildingAndFloorAreIncluded() throws {
        #expect(try texts("東京都千代田区紀尾井町1-3 東京ガーデンテラス紀尾井町 19階、20階", .address)
            == ["東京都千代田区紀尾井町1-3 東京ガーデンテラス紀尾井町 19階"])
        #expect(try texts("東京都文京区本郷2-40-14 山崎ビル401号室まで", .address) == ["東京都文京区本郷2-40-14 山崎ビル401号室"])
        #expect(try texts("神奈川県横浜市中区港町1丁目1番地 みなとハイツ302号室", .address) == ["神奈川県横浜市中区港町1丁目1番地 みなとハイツ302号室"])
        #expect(try texts("東京都千代田区紀尾井町1-3 にある会館", .address) == ["東京都千代田区紀尾井町1-3"])
    }

    @Test func contextMakesShortAddressesCount() throws {
        #expect(try texts("申請者の住所は紀尾井町1-3です。", .address) == ["紀尾井町1-3"])
        #expect(try texts("住所：北海道夕張市一部", .address) == ["北海道夕張市一部"])
        #expect(try texts("千代田区に転居しました。", .address) == ["千代田区"])
        #expect(try texts("先月、紀尾井町に転居しました。", .address) == ["紀尾井町"])
    }

    @Test func notAddresses() throws {
        #expect(try texts("東京都の施策について", .address).isEmpty)
        #expect(try texts("東京都千代田区の人口は10万人です。", .address).isEmpty)  // no block number, no context
        #expect(try texts("神奈川県第2区から立候補", .address).isEmpty)  // an electoral district
        #expect(try texts("長野県道407号を通行止め", .address).isEmpty)  // a road
        #expect(try texts("東京都大学リーグ1部", .address).isEmpty)
        #expect(try texts("令和6年度市町村別1-2表", .address).isEmpty)
        #expect(try texts("住所は下記のとおりです。", .address).isEmpty)
        #expect(try texts("パリに移住した。", .address).isEmpty)  // a city abroad is not an address
        #expect(try texts("長野県下水内郡栄村の観光", .address).isEmpty)  // a municipality, not an address
        // Municipal documents: ordinances and offices are not addresses.
        #expect(try texts("みなと市規則第十二号", .address).isEmpty)
        #expect(try texts("みなと市訓令第3号により", .address).isEmpty)
        #expect(try texts("横浜市長が1-2月に視察", .address).isEmpty)
    }

    @Test func postalCodeAndPhoneAroundAnAddressStaySeparate() throws {
        let all = try found("住所：〒102-0094 東京都千代田区紀尾井町1-3電話03-1234-5678")
        #expect(all.map(\.0) == [.postalCode, .address, .phoneNumber])
        #expect(all[1].1 == "東京都千代田区紀尾井町1-3")
    }
}

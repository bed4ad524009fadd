import Testing

@testable import Privacy

@Suite struct PhoneDetectionTests {
    @Test func fixedLineFormats() throws {
        #expect(try texts("電話 03-1234-5678 まで", .phoneNumber) == ["03-1234-5678"])
        #expect(try texts("TEL:0123-45-6789", .phoneNumber) == ["0123-45-6789"])
        #expect(try texts("代表 01564-5-2211", .phoneNumber) == ["01564-5-2211"])
        #expect(try texts("(03)1234-5678", .phoneNumber) == ["(03)1234-5678"])
        #expect(try texts("03(1234)5678", .phoneNumber) == ["03(1234)5678"])
        #expect(try texts("電話0312345678", .phoneNumber) == ["0312345678"])
    }

    @Test func mobileIPTollFreeAndNaviDial() throws {
        #expect(try texts("携帯090-1234-5678", .phoneNumber) == ["090-1234-5678"])
        #expect(try texts("08012345678に", .phoneNumber) == ["08012345678"])
        #expect(try texts("070 1234 5678", .phoneNumber) == ["070 1234 5678"])
        #expect(try texts("IP電話 050-1234-5678", .phoneNumber) == ["050-1234-5678"])
        #expect(try texts("フリーダイヤル 0120-123-456", .phoneNumber) == ["0120-123-456"])
        #expect(try texts("0800-123-4567", .phoneNumber) == ["0800-123-4567"])
        #expect(try texts("ナビダイヤル0570-123-456", .phoneNumber) == ["0570-123-456"])
    }

    @Test func fullWidthDigitsAndDashVariants() throws {
        #expect(try texts("電話０３－１２３４－５６７８", .phoneNumber) == ["０３－１２３４－５６７８"])
        #expect(try texts("電話03ー1234ー5678", .phoneNumber) == ["03ー1234ー5678"])  // long-vowel mark
        #expect(try texts("電話03‐1234‐5678", .phoneNumber) == ["03‐1234‐5678"])
        #expect(try texts("電話03−1234−5678", .phoneNumber) == ["03−1234−5678"])
    }

    @Test func internationalForm() throws {
        let entities = try detector().detect("Tel: +81-3-1234-5678 / +81 (0)90 1234 5678", kinds: [.phoneNumber])
        #expect(entities.map(\.text) == ["+81-3-1234-5678", "+81 (0)90 1234 5678"])
        #expect(entities.map(\.normalized) == ["0312345678", "09012345678"])
    }

    @Test func notPhoneNumbers() throws {
        #expect(try texts("金額は1,234,567円です", .phoneNumber).isEmpty)
        #expect(try texts("0312345678円", .phoneNumber).isEmpty)
        #expect(try texts("2024-03-15に受付", .phoneNumber).isEmpty)  // a date
        #expect(try texts("番号 103-1234-56789", .phoneNumber).isEmpty)  // part of a longer number
        #expect(try texts("12303-1234-5678", .phoneNumber).isEmpty)
        #expect(try texts("03-1234-56789", .phoneNumber).isEmpty)
        #expect(try texts("個人番号 0123 4567 8901", .phoneNumber).isEmpty)  // 12 digits
        #expect(try texts("口座番号 0312345678", .phoneNumber).isEmpty)
        #expect(try texts("+1 212 555 0100", .phoneNumber).isEmpty)  // not Japanese
        #expect(try texts("0000-12-3456", .phoneNumber).isEmpty)
    }

    @Test func samePhoneNumberNormalisesAlike() throws {
        let entities = try detector().detect("03-1234-5678 と ０３１２３４５６７８", kinds: [.phoneNumber])
        #expect(entities.count == 2)
        #expect(Set(entities.map(\.normalized)) == ["0312345678"])
    }
}

@Suite struct EmailAndPostalTests {
    @Test func emails() throws {
        #expect(try texts("連絡はtaro.yamada+pii@example.co.jpまで。", .email) == ["taro.yamada+pii@example.co.jp"])
        #expect(try texts("メール：ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", .email) == ["ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ"])
        let e = try #require(try detector().detect("TARO@Example.JP.", kinds: [.email]).first)
        #expect(e.text == "TARO@Example.JP")  // the sentence's full stop is not part of it
        #expect(e.normalized == "TARO@example.jp")
    }

    @Test func notEmails() throws {
        #expect(try texts("@mention と a@b と x@localhost", .email).isEmpty)
        #expect(try texts("価格は100@3個", .email).isEmpty)
    }

    @Test func postalCodes() throws {
        #expect(try texts("〒102-0094 東京都千代田区紀尾井町1-3", .postalCode) == ["102-0094"])
        #expect(try texts("〒１０２－００９４", .postalCode) == ["１０２－００９４"])
        #expect(try texts("郵便番号：1020094", .postalCode) == ["1020094"])
        #expect(try texts("102-0094 東京都千代田区紀尾井町1-3", .postalCode) == ["102-0094"])  // an address follows
    }

    @Test func notPostalCodes() throws {
        #expect(try texts("電話 03-123-4567", .postalCode).isEmpty)  // a phone fragment
        #expect(try texts("品番 102-0094 の在庫", .postalCode).isEmpty)  // no 〒 and no address after
        #expect(try texts("〒102-00945", .postalCode).isEmpty)
    }
}

/// Words the address detector needs. No gazetteer: the 47 prefectures, the generic municipality suffixes,
/// block-number units and the labels and verbs that put an address in context.
enum AddressVocabulary {
    static func list(_ words: [String]) -> [[UInt32]] { words.map { Array(folding: $0) } }

    static let prefectures = list([
        "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県",
        "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県",
        "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
        "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
    ])

    /// Prefectures by first scalar, longest first, for a quick scan.
    static let prefecturesByFirst: [UInt32: [[UInt32]]] = {
        var out: [UInt32: [[UInt32]]] = [:]
        for p in prefectures { out[p[0], default: []].append(p) }
        for k in out.keys { out[k]!.sort { $0.count > $1.count } }
        return out
    }()

    /// 市 区 町 村 郡: the suffixes of municipalities, wards and counties.
    static let municipalitySuffixes: Set<UInt32> = Set(Array(folding: "市区町村郡"))
    /// 都 道 府 県 as well, for "ends with an administrative unit" checks.
    static let unitSuffixes: Set<UInt32> = Set(Array(folding: "都道府県市区町村郡"))

    /// One-character "names" before 市/区/町/村 that are ordinary words (同市, 本町, 各区, 選挙区, 地区).
    static let notMunicipalityNames: Set<UInt32> = Set(Array(folding: "同本当各全他両隣都地学我貴某旧新前後上下内外一二三四五六七八九十百千数毎諸該"))

    /// Units after a block number.
    static let numberUnits = list(["丁目", "番地", "番外地", "番町", "番", "号室", "号棟", "号館", "号", "地割", "条", "線", "丁", "階", "F", "f", "棟", "館", "区画"])
    /// Units that by themselves show a block-level address (so a kanji numeral before them counts).
    static let blockUnits = list(["丁目", "番地", "番", "号", "地割"])

    /// Kyoto street directions that sit between a street name and a town name (御前通今出川上る鳥居前町).
    static let kyotoDirections = list(["上る", "下る", "上ル", "下ル", "東入る", "西入る", "東入ル", "西入ル", "東入", "西入", "入る", "入ル"])

    /// Hiragana that connect address parts: が in つつじが丘 before these place words.
    static let gaPlaceHeads: Set<UInt32> = Set(Array(folding: "丘岡谷崎浦関原森島沢台峰嶺淵瀬江池窪坂鼻尾岳城野作迫平袋花宮"))

    /// Building words that let the span run on past the block number (…1-3 東京ガーデンテラス 19階).
    static let buildingWords = list([
        "ビル", "ビルディング", "マンション", "ハイツ", "アパート", "コーポ", "レジデンス", "タワー", "テラス", "プラザ", "センター",
        "ハウス", "ヒルズ", "ガーデン", "パレス", "メゾン", "コート", "ヴィラ", "キャッスル", "荘", "館", "棟", "寮", "団地", "住宅",
        "会館", "庁舎", "役所", "役場", "小学校", "中学校", "高校", "学校", "病院", "公民館", "号館", "号棟",
    ])

    /// Labels before an address (住所：…, 所在地 …, 住所は…).
    static let labels = list([
        "住所", "現住所", "新住所", "旧住所", "所在地", "居所", "住居", "本籍", "本籍地", "送付先", "転居先", "転出先", "転入先", "宛先",
        "自宅", "届出住所", "住所地", "居住地", "送り先", "お届け先", "配送先", "連絡先住所", "勤務先住所", "自宅住所", "ご住所",
        "お住まい", "居住", "所在",
    ])

    /// Phrases after an address (…に転居しました, …在住).
    static let phrasesAfter = list([
        "に転居", "へ転居", "から転居", "に引っ越", "へ引っ越", "から引っ越", "に引越", "へ引越", "に移転", "へ移転", "に移住", "へ移住",
        "に居住", "に在住", "在住", "に住んで", "に住む", "に住ん", "に住ま", "に転入", "へ転入", "から転入", "に転出", "へ転出",
        "から転出", "に暮ら", "で暮ら", "に居", "に住所", "を住所", "が住所",
    ])

    /// Counters after a number that make it a quantity, not a block number (千代田区10万人, 3年).
    static let quantityUnits: Set<UInt32> = Set(Array(folding: "円万億兆年月日時分秒件個人名回歳倍枚本冊株票点坪度位世戸%週代才部期作周km㎞"))
}

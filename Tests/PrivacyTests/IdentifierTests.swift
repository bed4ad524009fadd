import Testing
import TestSupport

@testable import Privacy

/// Detections of some kinds in a text, as (kind, text) pairs.
func found(_ text: String, _ kinds: Set<PIIKind> = Set(PIIKind.allCases)) throws -> [(PIIKind, String)] {
    try detector().detect(text, kinds: kinds).map { ($0.kind, $0.text) }
}

/// Texts of detections of one kind.
func texts(_ text: String, _ kind: PIIKind) throws -> [String] {
    try detector().detect(text, kinds: [kind]).map(\.text)
}

func detector() throws -> PIIDetector { PIIDetector(model: try TestEnvironment.model()) }

@Suite struct CheckDigitTests {
    @Test func myNumberCheckDigit() {
        #expect(CheckDigit.isValidMyNumber("123456789018"))
        #expect(!CheckDigit.isValidMyNumber("123456789019"))
        #expect(CheckDigit.isValidMyNumber("１２３４５６７８９０１８"))  // full-width digits
        #expect(!CheckDigit.isValidMyNumber("12345678901"))  // 11 digits
        #expect(!CheckDigit.isValidMyNumber("1234-5678-9018"))  // separators are the detector's job
        // Remainder ≤ 1 gives check digit 0: 00000000000 has sum 0.
        #expect(CheckDigit.isValidMyNumber("000000000000"))
    }

    @Test func corporateNumberCheckDigit() {
        #expect(CheckDigit.isValidCorporateNumber("7000012050002"))  // 国税庁
        #expect(CheckDigit.isValidCorporateNumber("7010705000725"))
        #expect(!CheckDigit.isValidCorporateNumber("7000012050003"))
        #expect(!CheckDigit.isValidCorporateNumber("8000012050002"))  // wrong leading check digit
    }
}

@Suite struct IdentifierDetectionTests {
    @Test func myNumberPlainGroupedAndFullWidth() throws {
        #expect(try texts("個人番号は123456789018です。", .myNumber) == ["123456789018"])
        #expect(try texts("マイナンバー：1234-5678-9018", .myNumber) == ["1234-5678-9018"])
        #expect(try texts("番号 1234 5678 9018 を記入", .myNumber) == ["1234 5678 9018"])
        #expect(try texts("個人番号１２３４５６７８９０１８", .myNumber) == ["１２３４５６７８９０１８"])
        #expect(try texts("個人番号１２３４－５６７８－９０１８", .myNumber) == ["１２３４－５６７８－９０１８"])
    }

    @Test func invalidCheckDigitIsNeverAMyNumber() throws {
        let all = try found("個人番号は123456789019です。マイナンバー 1234-5678-9019")
        #expect(!all.contains { $0.0 == .myNumber || $0.0 == .corporateNumber })
    }

    @Test func myNumberInsideLongerNumbersOrMixedGroupsIsIgnored() throws {
        #expect(try texts("口座 1123456789018", .myNumber).isEmpty)  // 13 digits
        #expect(try texts("1234567890180", .myNumber).isEmpty)
        #expect(try texts("1234-5678 9018", .myNumber).isEmpty)  // mixed separators
        #expect(try texts("123456789018円", .myNumber).isEmpty)  // an amount
    }

    @Test func orderNumbersAreNotMyNumbers() throws {
        // 123456789018 checks as a My Number, but the label says it is an order number.
        #expect(try texts("注文番号 123456789018 でお受けしました", .myNumber).isEmpty)
        #expect(try texts("受付番号：1234-5678-9018", .myNumber).isEmpty)
        #expect(try texts("注文番号 1 件、個人番号 123456789018", .myNumber) == ["123456789018"])
    }

    @Test func corporateNumberWithCheckDigit() throws {
        #expect(try texts("法人番号は7000012050002です。", .corporateNumber) == ["7000012050002"])
        #expect(try texts("登録番号 T7000012050002", .corporateNumber) == ["7000012050002"])
        #expect(try texts("法人番号 7-0000-1205-0002 の事業者", .corporateNumber) == ["7-0000-1205-0002"])
        #expect(try texts("法人番号は7000012050003です。", .corporateNumber).isEmpty)
    }

    @Test func spansAreScalarAndUTF16Offsets() throws {
        // 𠮟 is one scalar but two UTF-16 units.
        let entities = try detector().detect("𠮟責。個人番号123456789018", kinds: [.myNumber])
        let e = try #require(entities.first)
        #expect(e.scalarRange == 7..<19)
        #expect(e.utf16Range == 8..<20)
        #expect(e.normalized == "123456789018")
    }
}

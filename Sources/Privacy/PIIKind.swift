/// The kinds of personal data the detector finds.
///
/// The raw value is the stable machine name (JSON, configuration); `label` is the Japanese name used in
/// placeholders (`[氏名1]`) and reports.
public enum PIIKind: String, Sendable, CaseIterable, Codable, Hashable, Comparable {
    case personName = "person_name"
    case address
    case phoneNumber = "phone_number"
    case email
    case postalCode = "postal_code"
    case myNumber = "my_number"
    case corporateNumber = "corporate_number"

    /// Japanese label, also the placeholder stem.
    public var label: String {
        switch self {
        case .personName: "氏名"
        case .address: "住所"
        case .phoneNumber: "電話番号"
        case .email: "メールアドレス"
        case .postalCode: "郵便番号"
        case .myNumber: "マイナンバー"
        case .corporateNumber: "法人番号"
        }
    }

    /// The kind whose label is `label` (placeholders are parsed back with this).
    public init?(label: String) {
        guard let kind = PIIKind.allCases.first(where: { $0.label == label }) else { return nil }
        self = kind
    }

    /// Accepts the machine name or the Japanese label (CLI and configuration input).
    public init?(name: String) {
        if let kind = PIIKind(rawValue: name) ?? PIIKind(label: name) {
            self = kind
            return
        }
        switch name.lowercased() {
        case "name", "person": self = .personName
        case "phone", "tel": self = .phoneNumber
        case "postal", "zip": self = .postalCode
        case "mynumber", "個人番号": self = .myNumber
        case "corporate", "houjin": self = .corporateNumber
        default: return nil
        }
    }

    /// When two detections overlap, the kind with the higher precedence wins. Structured identifiers are
    /// checked exactly (check digits, formats), so they beat the heuristic address and name detectors.
    var precedence: Int {
        switch self {
        case .email: 7
        case .myNumber: 6
        case .corporateNumber: 5
        case .phoneNumber: 4
        case .postalCode: 3
        case .address: 2
        case .personName: 1
        }
    }

    public static func < (a: PIIKind, b: PIIKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

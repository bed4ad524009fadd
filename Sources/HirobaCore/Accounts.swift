/// What a user may do besides reading what their place in the organisation lets them read.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    /// Searches and asks within their access.
    case staff
    /// Manages the collections and grants of their own bureau.
    case bureauAdmin = "bureau_admin"
    /// Manages everything on the deployment, including accounts.
    case platformAdmin = "platform_admin"
    /// Reads and exports the audit log.
    case auditor

    public var label: String {
        switch self {
        case .staff: "職員"
        case .bureauAdmin: "局管理者"
        case .platformAdmin: "基盤管理者"
        case .auditor: "監査担当"
        }
    }

    public static func < (a: Role, b: Role) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Who may read a collection (besides explicit grants).
public enum Visibility: String, Sendable, Codable, CaseIterable {
    /// The owning section (課) only.
    case section
    /// The owning bureau (局).
    case bureau
    /// The owning organisation (the prefecture or municipality).
    case organization
    /// Every signed-in user of every organisation on the deployment.
    case all
    /// Everyone, citizens without an account included.
    case `public`

    public var label: String {
        switch self {
        case .section: "課内"
        case .bureau: "局内"
        case .organization: "庁内（団体内）"
        case .all: "全団体"
        case .public: "一般公開"
        }
    }
}

/// Where a user sits: organisation → bureau (局) → section (課).
public struct Placement: Sendable, Equatable, Codable {
    public var organizationID: Int64
    public var organization: String
    public var bureauID: Int64
    public var bureau: String
    public var sectionID: Int64
    public var section: String

    public init(
        organizationID: Int64, organization: String, bureauID: Int64, bureau: String, sectionID: Int64, section: String
    ) {
        self.organizationID = organizationID
        self.organization = organization
        self.bureauID = bureauID
        self.bureau = bureau
        self.sectionID = sectionID
        self.section = section
    }

    /// 「みなと市 / 会計管理局 / 会計課」
    public var display: String { "\(organization) / \(bureau) / \(section)" }
}

/// A signed-in user as the server sees them on a request.
public struct UserAccount: Sendable, Equatable, Codable {
    public var id: Int64
    public var login: String
    public var displayName: String
    public var placement: Placement
    public var roles: Set<Role>
    public var disabled: Bool

    public init(id: Int64, login: String, displayName: String, placement: Placement, roles: Set<Role>, disabled: Bool) {
        self.id = id
        self.login = login
        self.displayName = displayName
        self.placement = placement
        self.roles = roles
        self.disabled = disabled
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) }
}

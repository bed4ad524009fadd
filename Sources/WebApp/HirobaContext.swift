import Foundation
import HirobaCore
import Hummingbird
import NIOCore
import Storage

/// Per-request context: the signed-in user (by session cookie or API token) and the client address.
public struct HirobaContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var user: UserAccount?
    public var session: AccountStore.Session?
    /// True when the user came with an API token (no cookie, so no CSRF check is needed).
    public var viaToken = false
    /// The database's data version read when the request's API token was checked (see
    /// `AppDatabase.dataVersion()`): read-only routes reuse it instead of reading it again.
    public var dataVersion: Int64?
    public let address: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        address = source.channel.remoteAddress?.ipAddress
    }

    /// Request bodies above this are refused with 413 (uploads stream to disk in their own route).
    public var maxUploadSize: Int { 64 * 1024 * 1024 }
}

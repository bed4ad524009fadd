import Testing
@testable import WebApp

@Suite("Authorization header parsing")
struct AuthHeaderTests {
    @Test(arguments: [
        ("Bearer hbt_abc", "hbt_abc"), ("bearer hbt_abc", "hbt_abc"), ("BEARER hbt_abc", "hbt_abc"), ("BeArEr x y", "x y"),
    ])
    func bearerSchemeIsCaseInsensitive(_ header: String, _ token: String) {
        #expect(AuthMiddleware.bearerToken(header) == token)
    }

    /// Anything but `Bearer <token>` yields no token, so the request is refused as unauthenticated.
    @Test(arguments: ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearerhbt_abc", "Bearer\thbt_abc", "", "Bearér hbt_abc", "Cearer hbt_abc"])
    func otherSchemesAndMalformedHeadersGiveNoToken(_ header: String) {
        #expect(AuthMiddleware.bearerToken(header) == nil)
    }
}

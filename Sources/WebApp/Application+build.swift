import Foundation
import HirobaCore
import Hummingbird
import Logging
import Storage

/// The composition root: every route and middleware of the server, on `services`.
public func buildApplication(services: AppServices, logger: Logger? = nil) -> some ApplicationProtocol {
    let router = buildRouter(services: services)
    return Application(
        router: router,
        configuration: .init(address: .hostname(services.config.host, port: services.config.port), serverName: "Hiroba"),
        logger: logger ?? Logger(label: "hiroba"))
}

public func buildRouter(services: AppServices) -> Router<HirobaContext> {
    let router = Router(context: HirobaContext.self)
    router.add(middleware: MetricsMiddleware(registry: services.metrics))
    HealthController(services: services).register(on: router)
    router.add(middleware: AuthMiddleware(services: services))
    WebController(services: services).register(on: router)
    let api = router.group("api/v1").add(middleware: APIErrorMiddleware<HirobaContext>())
    APIController(services: services).register(on: api)
    return router
}

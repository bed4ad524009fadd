import Foundation
import HirobaCore
import Hummingbird
import Logging
import NIOPosix
import Synchronization
import Storage

/// The composition root: every route and middleware of the server, on `services`.
public func buildApplication(services: AppServices, logger: Logger? = nil) -> some ApplicationProtocol {
    let router = buildRouter(services: services)
    return Application(
        router: router,
        configuration: .init(address: .hostname(services.config.host, port: services.config.port), serverName: "Hiroba"),
        eventLoopGroupProvider: .shared(EventLoops.group(threads: services.config.eventLoops)),
        logger: logger ?? Logger(label: "hiroba") { ServerLogHandler(label: $0) })
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

/// Event loop groups by size, created on first use and kept for the process (as NIO's own singleton group
/// is): an application built again with the same setting, as tests do, shares its threads.
enum EventLoops {
    private static let groups = Mutex<[Int: MultiThreadedEventLoopGroup]>([:])

    static func group(threads: Int) -> MultiThreadedEventLoopGroup {
        groups.withLock { groups in
            if let group = groups[threads] { return group }
            let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
            groups[threads] = group
            return group
        }
    }
}

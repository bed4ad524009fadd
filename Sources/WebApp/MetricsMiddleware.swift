import Foundation
import HTTPTypes
import Hummingbird
import Prometheus

/// Counts requests by method, route and status and records their latency, for `/metrics`.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let registry: PrometheusCollectorRegistry
    /// The registry's metric objects by label values, looked up once: asking the registry builds the metric's
    /// name and checks its labels on every request (~1 % of a search request).
    private let handles = Handles()

    private final class Handles: @unchecked Sendable {
        struct CounterKey: Hashable {
            var method: String
            var route: String
            var status: Int
        }
        let lock = NSLock()
        var counters: [CounterKey: Counter] = [:]
        var histograms: [String: DurationHistogram] = [:]
    }

    init(registry: PrometheusCollectorRegistry) { self.registry = registry }

    private func counter(method: String, route: String, status: Int) -> Counter {
        let key = Handles.CounterKey(method: method, route: route, status: status)
        if let counter = handles.lock.withLock({ handles.counters[key] }) { return counter }
        let counter = registry.makeCounter(
            descriptor: Self.requests, labels: [("method", method), ("route", route), ("status", String(status))])
        handles.lock.withLock { handles.counters[key] = counter }
        return counter
    }

    private func histogram(route: String) -> DurationHistogram {
        if let histogram = handles.lock.withLock({ handles.histograms[route] }) { return histogram }
        let histogram = registry.makeDurationHistogram(descriptor: Self.duration, labels: [("route", route)], buckets: Self.buckets)
        handles.lock.withLock { handles.histograms[route] = histogram }
        return histogram
    }
    static var buckets: [Duration] {
        [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
         .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5)]
    }

    static var requests: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "hiroba", subsystem: "http", metricName: "requests", unitName: "total", helpText: "HTTP requests by method, route and status") }
    static var duration: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "hiroba", subsystem: "http", metricName: "request_duration", unitName: "seconds", helpText: "HTTP request latency by route") }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var status = 500
        defer {
            let route = context.endpointPath ?? "unmatched"
            counter(method: request.method.rawValue, route: route, status: status).increment()
            let elapsed = (ContinuousClock.now - start).components
            histogram(route: route).recordNanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
        }
        do {
            let response = try await next(request, context)
            status = response.status.code
            return response
        } catch let error as HTTPResponseError {
            status = error.status.code
            throw error
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import Prometheus

/// Counts requests by method, route and status and records their latency, for `/metrics`.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let registry: PrometheusCollectorRegistry
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
            let labels = [("method", request.method.rawValue), ("route", route), ("status", String(status))]
            registry.makeCounter(descriptor: Self.requests, labels: labels).increment()
            let elapsed = (ContinuousClock.now - start).components
            registry.makeDurationHistogram(descriptor: Self.duration, labels: [("route", route)], buckets: Self.buckets).recordNanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
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

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// At most `limit` calls in flight to one provider; further callers wait in arrival order.
public actor ConcurrencyLimiter {
    public let limit: Int
    private var active = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(limit: Int) { self.limit = max(1, limit) }

    public func acquire() async {
        if active < limit {
            active += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    public func release() {
        if waiters.isEmpty {
            active -= 1
        } else {
            waiters.removeFirst().resume()  // the permit passes straight to the next waiter
        }
    }

    public var inFlight: Int { active }
    public var waiting: Int { waiters.count }
}

/// When to try again: 429 and 5xx (and connection failures) are retried with exponential backoff and
/// jitter, waiting at least what the server's `retry-after-ms` / `Retry-After` asks for; a server that
/// asks for longer than `maxWait` is not waited for.
public struct RetryPolicy: Sendable {
    public var maxRetries: Int
    public var baseDelay: Double
    public var maxDelay: Double
    /// Longest Retry-After honoured; beyond it the call fails at once with the server's value.
    public var maxWait: Double

    public init(maxRetries: Int = 3, baseDelay: Double = 0.5, maxDelay: Double = 8, maxWait: Double = 60) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxWait = maxWait
    }

    /// Seconds before attempt `attempt + 1` (attempt counts from 0); `jitter` in 0..<1.
    public func delay(attempt: Int, retryAfter: Double?, jitter: Double) -> Double {
        let backoff = min(maxDelay, baseDelay * pow(2, Double(attempt))) * (0.5 + jitter / 2)
        return max(backoff, retryAfter ?? 0)
    }

    /// `retry-after-ms` (Azure, OpenAI) or `Retry-After` as seconds or an HTTP date.
    public static func retryAfter(_ headers: HTTPHeaders, now: Date = Date()) -> Double? {
        if let ms = headers.first(name: "retry-after-ms").flatMap(Double.init), ms >= 0 { return ms / 1000 }
        guard let value = headers.first(name: "retry-after")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(value), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let date = formatter.date(from: value) { return max(0, date.timeIntervalSince(now)) }
        return nil
    }
}

/// One HTTP call to a provider.
public struct ProviderCall: Sendable {
    public var method: HTTPMethod
    public var url: String
    public var headers: [(String, String)]
    public var body: Data?
    public init(method: HTTPMethod = .POST, url: String, headers: [(String, String)], body: Data?) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// HTTP to one provider: its own client (timeouts), concurrency limit and retry policy. Owns the client:
/// call `shutdown()` when done.
public final class ProviderTransport: Sendable {
    public let provider: String
    let client: HTTPClient
    let limiter: ConcurrencyLimiter
    let retry: RetryPolicy
    let timeout: Double
    let sleep: @Sendable (Double) async throws -> Void
    let jitter: @Sendable () -> Double
    /// Reads the provider's error body into (type, message).
    let describeError: @Sendable (Int, Data) -> (type: String?, message: String)

    public init(
        provider: String, timeout: Double, connectTimeout: Double = 5, maxConcurrency: Int, retry: RetryPolicy,
        describeError: @escaping @Sendable (Int, Data) -> (type: String?, message: String),
        sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .milliseconds(Int($0 * 1000))) },
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.provider = provider
        self.timeout = timeout
        self.retry = retry
        self.describeError = describeError
        self.sleep = sleep
        self.jitter = jitter
        limiter = ConcurrencyLimiter(limit: maxConcurrency)
        let millis = Int64(timeout * 1000)
        var configuration = HTTPClient.Configuration(
            // A refused connection is retried by the pool until the connect timeout: keep it short, so a
            // provider that is down fails (and fails over) quickly.
            timeout: .init(connect: .milliseconds(Int64(min(timeout, connectTimeout) * 1000)), read: .milliseconds(millis)))
        configuration.decompression = .enabled(limit: .ratio(100))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    deinit {
        // A transport dropped without `shutdown()` (an owner that failed half-way) still releases its
        // client instead of tripping AsyncHTTPClient's leak check; the future completes on its own.
        _ = client.shutdown()
    }

    /// Sends a call and returns the whole body of a 2xx answer, retrying transient failures.
    public func send(_ call: ProviderCall, maxBytes: Int = 64 << 20) async throws -> (headers: HTTPHeaders, body: Data) {
        try await withResponse(call) { response in
            var body = Data()
            do {
                for try await buffer in response.body {
                    body.append(contentsOf: buffer.readableBytesView)
                    if body.count > maxBytes {
                        throw ModelError.malformed(provider: provider, detail: "応答が大きすぎます（\(maxBytes) バイト超）")
                    }
                }
            } catch {
                throw map(error)
            }
            return (response.headers, body)
        }
    }

    /// Runs `body` with a 2xx response whose body has not been read yet (for streams). Retries happen only
    /// before `body` is called: once bytes have reached the caller, a failure is reported, never replayed.
    /// The concurrency permit is held until `body` returns.
    public func withResponse<T: Sendable>(
        _ call: ProviderCall, _ body: (HTTPClientResponse) async throws -> T
    ) async throws -> T {
        await limiter.acquire()
        do {
            let result = try await withRetries(call, body)
            await limiter.release()
            return result
        } catch {
            await limiter.release()
            throw error
        }
    }

    private func withRetries<T: Sendable>(_ call: ProviderCall, _ body: (HTTPClientResponse) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            try Task.checkCancellation()
            var request = HTTPClientRequest(url: call.url)
            request.method = call.method
            for (name, value) in call.headers { request.headers.add(name: name, value: value) }
            if let data = call.body { request.body = .bytes(ByteBuffer(bytes: data)) }
            let failure: ModelError
            var retryAfter: Double?
            do {
                let response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
                let status = Int(response.status.code)
                if (200..<300).contains(status) {
                    // From here the caller sees data: a failure is reported, never retried.
                    do { return try await body(response) } catch is CancellationError { throw CancellationError() } catch {
                        throw Delivered(error: map(error))
                    }
                }
                var data = Data()
                for try await buffer in response.body {
                    if data.count < 1 << 20 { data.append(contentsOf: buffer.readableBytesView) }
                }
                retryAfter = RetryPolicy.retryAfter(response.headers)
                let (type, message) = describeError(status, data)
                failure =
                    status == 429
                    ? .rateLimited(provider: provider, retryAfter: retryAfter)
                    : .http(provider: provider, status: status, type: type, detail: message)
            } catch let delivered as Delivered {
                throw delivered.error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failure = map(error)
            }
            guard failure.isTransient, attempt < retry.maxRetries else { throw failure }
            if let retryAfter, retryAfter > retry.maxWait { throw failure }
            try await sleep(retry.delay(attempt: attempt, retryAfter: retryAfter, jitter: jitter()))
            attempt += 1
        }
    }

    private struct Delivered: Error { var error: ModelError }

    /// Transport errors in provider terms.
    func map(_ error: Error) -> ModelError {
        if let error = error as? ModelError { return error }
        if let error = error as? HTTPClientError {
            switch error {
            case .readTimeout, .deadlineExceeded, .connectTimeout, .getConnectionFromPoolTimeout:
                return .timeout(provider: provider, seconds: timeout)
            case .remoteConnectionClosed:
                return .unavailable(provider: provider, detail: "接続が途中で切断されました")
            default:
                return .unavailable(provider: provider, detail: String(describing: error))
            }
        }
        return .unavailable(provider: provider, detail: String(describing: error))
    }
}

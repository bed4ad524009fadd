import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A request as the replay server received it.
public struct RecordedRequest: Sendable {
    public var method: String
    public var path: String
    public var query: String
    public var headers: [String: String]
    public var body: Data

    public var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
}

/// What the replay server answers with.
public enum Scripted: Sendable {
    /// A whole body.
    case body(status: Int, headers: [String: String], Data)
    /// An event stream sent in pieces (exact bytes, so chunk boundaries can fall anywhere), `delay` between pieces.
    case stream(status: Int, headers: [String: String], pieces: [String], delay: Duration)
    /// Waits before answering at all (for timeouts).
    case stall(Duration, then: Data)

    public static func json(_ object: Any, status: Int = 200, headers: [String: String] = [:]) -> Scripted {
        .body(
            status: status, headers: ["content-type": "application/json"].merging(headers) { $1 },
            (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }

    public static func sse(_ text: String, pieceSize: Int = 7, delay: Duration = .zero, headers: [String: String] = [:]) -> Scripted {
        let bytes = Array(text.utf8)
        var pieces: [String] = []
        var i = 0
        // Cut at byte offsets (so multi-byte characters and CRLF pairs may be split across pieces), then
        // keep each piece valid UTF-8 for String transport by joining until it decodes.
        var pending: [UInt8] = []
        while i < bytes.count {
            pending += bytes[i..<min(i + pieceSize, bytes.count)]
            if let piece = String(validating: pending, as: UTF8.self) {
                pieces.append(piece)
                pending = []
            }
            i += pieceSize
        }
        if !pending.isEmpty { pieces.append(String(decoding: pending, as: UTF8.self)) }
        return .stream(status: 200, headers: ["content-type": "text/event-stream"].merging(headers) { $1 }, pieces: pieces, delay: delay)
    }
}

/// A real HTTP server on 127.0.0.1 that answers each request with a scripted response, recording what it
/// received and how many requests were in flight at once.
public final class ReplayServer: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [RecordedRequest] = []
    private var active = 0
    private var peak = 0
    private var task: Task<Void, Error>?
    public private(set) var port = 0
    let script: @Sendable (RecordedRequest, Int) -> Scripted

    public init(_ script: @escaping @Sendable (RecordedRequest, Int) -> Scripted) { self.script = script }

    public var requests: [RecordedRequest] { lock.withLock { recorded } }
    public var peakConcurrency: Int { lock.withLock { peak } }
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public func start() async throws {
        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { [self] request, _ in
            let body = try await request.body.collect(upTo: 16 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let recordedRequest = RecordedRequest(
                method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "", headers: headers,
                body: Data(buffer: body))
            let index = lock.withLock {
                recorded.append(recordedRequest)
                active += 1
                peak = max(peak, active)
                return recorded.count - 1
            }
            let scripted = script(recordedRequest, index)
            @Sendable func done() { self.lock.withLock { self.active -= 1 } }
            switch scripted {
            case .body(let status, let h, let data):
                // Hold the slot a moment so concurrent requests overlap measurably.
                try? await Task.sleep(for: .milliseconds(20))
                done()
                return Response(status: .init(code: status), headers: Self.fields(h), body: .init(byteBuffer: ByteBuffer(data: data)))
            case .stall(let wait, let data):
                try? await Task.sleep(for: wait)
                done()
                return Response(status: .ok, headers: Self.fields(["content-type": "application/json"]), body: .init(byteBuffer: ByteBuffer(data: data)))
            case .stream(let status, let h, let pieces, let delay):
                return Response(
                    status: .init(code: status), headers: Self.fields(h),
                    body: ResponseBody { writer in
                        for piece in pieces {
                            try await writer.write(ByteBuffer(string: piece))
                            if delay > .zero { try await Task.sleep(for: delay) }
                        }
                        done()
                        try await writer.finish(nil)
                    })
            }
        }
        router.on("**", method: .post, use: handler)
        router.on("**", method: .get, use: handler)
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            })
        task = Task { try await app.runService(gracefulShutdownSignals: []) }
        for await port in stream { self.port = port }
    }

    public func stop() {
        task?.cancel()
    }

    static func fields(_ headers: [String: String]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in headers { if let n = HTTPField.Name(name) { fields[n] = value } }
        return fields
    }
}

/// A port with nothing listening (for "provider down").
public func closedPort() -> Int {
    // Bind, read the port, close: nothing listens there afterwards.
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    close(fd)
    return Int(UInt16(bigEndian: addr.sin_port))
}

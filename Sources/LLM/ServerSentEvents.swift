import Foundation

/// One server-sent event (WHATWG HTML §9.2 "event stream interpretation").
public struct ServerSentEvent: Sendable, Equatable {
    /// `event:` field; nil means the default type "message".
    public var event: String?
    public var data: String
    public var id: String?
    public init(event: String? = nil, data: String, id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }
}

/// Incremental `text/event-stream` parser: feed bytes as they arrive, get complete events back. Lines end
/// in CRLF, LF or CR (a CR at the end of one chunk and an LF at the start of the next are one line end);
/// comments (`:`) are skipped; `data:` lines join with "\n"; an event without data is not dispatched.
public struct ServerSentEventParser: Sendable {
    /// A single line longer than this is not a sane event stream (protects memory from a broken server).
    public static let maxLineBytes = 4 << 20

    public enum ParseError: Error, Equatable { case lineTooLong(Int) }

    private var line: [UInt8] = []
    private var lastWasCR = false
    private var eventType: String?
    private var data: [UInt8] = []
    private var hasData = false
    private var lastID: String?

    public init() {}

    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) throws -> [ServerSentEvent] where Bytes.Element == UInt8 {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if lastWasCR {
                lastWasCR = false
                if byte == 0x0A { continue }
            }
            switch byte {
            case 0x0A:
                if let event = processLine() { events.append(event) }
            case 0x0D:
                lastWasCR = true
                if let event = processLine() { events.append(event) }
            default:
                line.append(byte)
                if line.count > Self.maxLineBytes { throw ParseError.lineTooLong(line.count) }
            }
        }
        return events
    }

    /// Call at end of stream: a final event not followed by a blank line is discarded per the spec, but a
    /// pending line is still interpreted (some servers omit the last blank line before closing).
    public mutating func finish() -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        if !line.isEmpty, let event = processLine() { events.append(event) }
        if let event = processLine() { events.append(event) }
        return events
    }

    private mutating func processLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            defer {
                eventType = nil
                data.removeAll(keepingCapacity: true)
                hasData = false
            }
            guard hasData else { return nil }
            return ServerSentEvent(event: eventType, data: String(decoding: data, as: UTF8.self), id: lastID)
        }
        if line[0] == 0x3A { return nil }  // comment
        var field: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: 0x3A) {
            field = line[..<colon]
            value = line[(colon + 1)...]
            if value.first == 0x20 { value = value.dropFirst() }
        } else {
            field = line[...]
            value = []
        }
        switch String(decoding: field, as: UTF8.self) {
        case "event": eventType = String(decoding: value, as: UTF8.self)
        case "data":
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
        case "id":
            if !value.contains(0) { lastID = String(decoding: value, as: UTF8.self) }
        default: break  // `retry` and unknown fields: nothing to do for a client that does not reconnect
        }
        return nil
    }
}

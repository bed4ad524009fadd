import Foundation
import Logging
import Synchronization
import Testing
@testable import WebApp

@Suite("The server's log handler")
struct ServerLogHandlerTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    /// A formatted value that counts how often it was formatted.
    final class CountingID: CustomStringConvertible, Sendable {
        let formatted = Atomic<Int>(0)
        var description: String {
            formatted.add(1, ordering: .relaxed)
            return "req-42"
        }
    }

    func logger(_ lines: Lines, level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: "hiroba") { label in ServerLogHandler(label: label) { line in lines.lines.withLock { $0.append(line) } } }
        logger.logLevel = level
        return logger
    }

    @Test func writesStreamLogHandlerLinesWithSortedMetadata() throws {
        let lines = Lines()
        var logger = logger(lines)
        logger[metadataKey: "hb.request.id"] = "abc"
        logger[metadataKey: "a.first"] = "1"
        logger.info("検索しました", metadata: ["hits": "3"])
        let line = try #require(lines.all.first)
        #expect(line.hasSuffix(" info hiroba: a.first=1 hb.request.id=abc hits=3 [WebAppTests] 検索しました\n"))
        // ISO 8601 local time first, as StreamLogHandler writes it.
        #expect(line.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} "#, options: .regularExpression) != nil)
        #expect(logger[metadataKey: "hb.request.id"] == "abc")
    }

    @Test func levelsBelowTheLoggersAreNotWritten() {
        let lines = Lines()
        let logger = logger(lines, level: .notice)
        logger.info("quiet")
        logger.debug("quieter")
        logger.error("loud")
        #expect(lines.all.count == 1)
        #expect(lines.all.first?.contains(" error hiroba: [WebAppTests] loud") == true)
    }

    /// What the handler is for: metadata set on every request (Hummingbird's request id) is formatted only when a
    /// line is written, never when it is set.
    @Test func metadataIsFormattedOnlyWhenALineIsWritten() {
        let lines = Lines()
        var logger = logger(lines)
        let id = CountingID()
        for _ in 0..<100 { logger[metadataKey: "hb.request.id"] = .stringConvertible(id) }
        logger.debug("not written at info")
        #expect(id.formatted.load(ordering: .relaxed) == 0)
        logger.info("written")
        #expect(id.formatted.load(ordering: .relaxed) == 1)
        #expect(lines.all.first?.contains("hb.request.id=req-42") == true)
    }

    @Test func errorsAddTheirMessageAndType() throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "壊れています" } }
        let lines = Lines()
        let logger = logger(lines)
        logger.log(level: .error, "failed", error: Broken())
        let line = try #require(lines.all.first)
        #expect(line.contains("error.message=壊れています"))
        #expect(line.contains("error.type="))
    }
}

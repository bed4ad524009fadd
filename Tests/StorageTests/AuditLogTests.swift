import Crypto
import Foundation
import GRDB
import HirobaCore
@testable import Storage
import TestSupport
import Testing

@Suite("Audit log hash chain")
struct AuditLogTests {
    /// A log of 20 entries in a fresh database.
    func makeLog() throws -> (AuditLog, AppDatabase) {
        let dir = TestEnvironment.temporaryDirectory()
        let database = try AppDatabase(path: dir.appendingPathComponent("audit.sqlite").path)
        let log = try AuditLog(database: database)
        for i in 1...20 {
            try log.append(
                AuditEvent(actorID: Int64(i % 3), actor: "user\(i % 3)", action: i % 2 == 0 ? "search" : "login.success",
                           target: "予算 \(i)", collection: i % 4 == 0 ? "会計" : nil, documents: i % 5 == 0 ? [Int64(i), 7] : [],
                           address: "10.0.0.\(i)"))
        }
        return (log, database)
    }

    @Test func hashIsTheDocumentedFormulaForEveryField() {
        // The chain of existing logs must keep verifying: fields escaped ("\\" → "\\\\", U+001F → "\\u001F"),
        // joined by U+001F, SHA-256, lower-case hex.
        let fields = ["prev", "7", "2026-11-27T10:00:00Z", "3", "山田\\太郎", "search", "支出\u{1F}命令", "\u{0}", "1,2", "3 件", "127.0.0.1"]
        let joined = fields.map { $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\u{1F}", with: "\\u001F") }
            .joined(separator: "\u{1F}")
        let expected = SHA256.hash(data: Data(joined.utf8)).map { String(format: "%02x", $0) }.joined()
        let hash = AuditEntry.computeHash(
            prev: "prev", seq: 7, at: "2026-11-27T10:00:00Z", actorID: 3, actor: "山田\\太郎", action: "search",
            target: "支出\u{1F}命令", collection: nil, documents: "1,2", detail: "3 件", address: "127.0.0.1")
        #expect(hash == expected)
        #expect(Hex.string([0x00, 0x0F, 0xA5, 0xFF]) == "000fa5ff")
        // Escapes anywhere in longer fields (the escaping scans 8 bytes at a time): at the start, inside and
        // at the end of a word, and last.
        for position in [0, 1, 7, 8, 9, 15, 16, 23, 39] {
            for special in ["\\", "\u{1F}"] {
                var target = Array(repeating: "a", count: 40)
                target[position] = special
                let text = target.joined() + "予算"
                let reference = ["p", "1", "t", "", "u", "search", text, "\u{0}", "\u{0}", "\u{0}", "\u{0}"]
                    .map { $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\u{1F}", with: "\\u001F") }
                    .joined(separator: "\u{1F}")
                let computed = AuditEntry.computeHash(
                    prev: "p", seq: 1, at: "t", actorID: nil, actor: "u", action: "search", target: text, collection: nil,
                    documents: nil, detail: nil, address: nil)
                #expect(computed == SHA256.hash(data: Data(reference.utf8)).map { String(format: "%02x", $0) }.joined(), "\(position)")
            }
        }
    }

    @Test func documentIDsAreJoinedByCommas() {
        for ids: [Int64] in [[1], [0], [12, 345, 6789], [-5, 10, Int64.max, Int64.min], Array(1...50).map { $0 * 7919 }] {
            #expect(AuditLog.commaSeparated(ids) == ids.map(String.init).joined(separator: ","))
        }
    }

    @Test func intactChainVerifies() throws {
        let (log, _) = try makeLog()
        let result = try log.verify()
        #expect(result.ok)
        #expect(result.checked == 20)
    }

    @Test func editedEntryIsFound() throws {
        let (log, database) = try makeLog()
        try log.pool.write { db in try db.execute(sql: "UPDATE audit_log SET target = '予算 999' WHERE seq = 7") }
        let result = try log.verify()
        #expect(result.firstBroken == 7)
        #expect(result.problems.contains { $0.seq == 7 && $0.reason.contains("書き換え") })
    }

    @Test func editedEntryWithRecomputedHashBreaksTheNextLink() throws {
        let (log, database) = try makeLog()
        // A forger who recomputes the edited entry's own hash still breaks the link from entry 8.
        try log.pool.write { db in
            try db.execute(sql: "UPDATE audit_log SET actor = 'someone', hash = (CASE WHEN substr(hash, 1, 1) = 'f' THEN 'e' ELSE 'f' END) || substr(hash, 2) WHERE seq = 7")
        }
        let result = try log.verify()
        #expect(result.firstBroken == 7)
        #expect(result.problems.contains { $0.seq == 8 && $0.reason.contains("つながり") })
    }

    @Test func deletedEntryIsFound() throws {
        let (log, database) = try makeLog()
        try log.pool.write { db in try db.execute(sql: "DELETE FROM audit_log WHERE seq = 12") }
        let result = try log.verify()
        #expect(result.firstBroken == 13)
        #expect(result.problems.first?.reason.contains("削除") == true)
    }

    @Test func deletedNewestEntriesAreFound() throws {
        let (log, database) = try makeLog()
        try log.pool.write { db in try db.execute(sql: "DELETE FROM audit_log WHERE seq >= 19") }
        let result = try log.verify()
        #expect(!result.ok)
        #expect(result.problems.contains { $0.reason.contains("失われ") })
    }

    @Test func reorderedEntriesAreFound() throws {
        let (log, database) = try makeLog()
        // Swap the contents of entries 4 and 5, each keeping its own (valid) hash.
        try log.pool.write { db in
            try db.execute(sql: "UPDATE audit_log SET seq = -4 WHERE seq = 4")
            try db.execute(sql: "UPDATE audit_log SET seq = 4 WHERE seq = 5")
            try db.execute(sql: "UPDATE audit_log SET seq = 5 WHERE seq = -4")
        }
        let result = try log.verify()
        #expect(result.firstBroken == 4)
    }

    @Test func retentionKeepsTheRestVerifiable() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let database = try AppDatabase(path: dir.appendingPathComponent("audit.sqlite").path)
        final class Clock: @unchecked Sendable { var now = Date(timeIntervalSince1970: 1_800_000_000) }
        let clock = Clock()
        let log = try AuditLog(database: database, now: { clock.now })
        for i in 0..<10 {
            try log.append(AuditEvent(actor: "a", action: "search", target: "q\(i)"))
            clock.now += 86400
        }
        let removed = try log.purge(olderThanDays: 5)
        #expect(removed == 5)
        let result = try log.verify()
        #expect(result.ok, "\(result.problems)")
        #expect(try log.entries().last?.action == "audit.retention")
    }

    @Test func entriesFilterAndCSVSafeFields() throws {
        let (log, _) = try makeLog()
        #expect(try log.entries(actor: "user1").count == 7)
        #expect(try log.entries(action: "login").allSatisfy { $0.action == "login.success" })
        #expect(try log.entries(text: "予算 1").map(\.target) == ["予算 1", "予算 10", "予算 11", "予算 12", "予算 13", "予算 14", "予算 15", "予算 16", "予算 17", "予算 18", "予算 19"])
        // LIKE wildcards in the search text are literal.
        #expect(try log.entries(text: "%").isEmpty)
    }

    /// Entry times are written without ICU; they must read exactly as the ISO 8601 formatter writes them
    /// (retention and export compare them as strings).
    @Test func timestampsMatchTheISO8601Formatter() {
        var state: UInt64 = 20261127
        var dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1), Date(timeIntervalSince1970: 951_782_400.9999),
                     Date(timeIntervalSince1970: 4_102_444_799.5), Date(timeIntervalSince1970: -2_208_988_800.25), Date()]
        for _ in 0..<5000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            dates.append(Date(timeIntervalSince1970: Double(Int64(state >> 33) % 8_000_000_000 - 2_000_000_000) / 1.7))
        }
        for date in dates {
            #expect(AuditLog.utcTimestamp(date) == AuditLog.timestamp(date))
            #expect(AuditLog.utcTimestamp(date) == AuditLog.formatter.string(from: date), "\(date.timeIntervalSince1970)")
        }
    }
}

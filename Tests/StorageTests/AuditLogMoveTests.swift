import Foundation
import GRDB
import HirobaCore
import TestSupport
import Testing

@testable import Storage

@Suite("Audit log file")
struct AuditLogMoveTests {
    /// Databases from before the log had its own file keep their chain: entries, head and anchor move unchanged.
    @Test func entriesInTheKnowledgeDatabaseMoveToTheAuditFile() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let path = dir.appendingPathComponent("old.sqlite").path
        let database = try AppDatabase(path: path)
        try database.write { db in
            for i in 1...5 {
                _ = try AuditLog.append(
                    AuditEvent(actor: "u\(i)", action: "search", target: "予算 \(i)", address: "10.0.0.\(i)"),
                    at: "2026-01-0\(i)T00:00:00.000Z", in: db)
            }
        }
        let log = try AuditLog(database: database)
        #expect(log.path == dir.appendingPathComponent("old.audit.sqlite").path)
        let result = try log.verify()
        #expect(result.ok && result.checked == 5)
        #expect(try database.read { try $0.tableExists("audit_log") } == false)
        // New entries continue the moved chain.
        let next = try log.append(AuditEvent(actor: "u6", action: "search", target: "予算 6"))
        #expect(next.seq == 6)
        #expect(try log.verify().ok)
        // Opening again moves nothing and keeps everything.
        #expect(try AuditLog(database: database).verify().checked == 6)
    }

    @Test func searchesDoNotWriteToTheKnowledgeDatabase() throws {
        let dir = TestEnvironment.temporaryDirectory()
        let database = try AppDatabase(path: dir.appendingPathComponent("k.sqlite").path)
        let log = try AuditLog(database: database)
        let before = try database.read { try Int.fetchOne($0, sql: "PRAGMA data_version") }
        let size = database.fileBytes
        for i in 0..<50 { try log.append(AuditEvent(actor: "u", action: "search", target: "q\(i)")) }
        #expect(database.fileBytes == size)
        #expect(try database.read { try Int.fetchOne($0, sql: "PRAGMA data_version") } == before)
    }

    /// Concurrent requests recording at once are committed in batches; every caller gets its own entry back,
    /// the sequence has no gaps and the chain verifies.
    @Test func concurrentRecordsAreGroupCommittedInOrder() async throws {
        let dir = TestEnvironment.temporaryDirectory()
        let log = try AuditLog(database: try AppDatabase(path: dir.appendingPathComponent("g.sqlite").path))
        let entries = try await withThrowingTaskGroup(of: AuditEntry.self) { group in
            for i in 0..<300 {
                group.addTask { try await log.record(AuditEvent(actor: "u\(i % 7)", action: "search", target: "q\(i)")) }
            }
            var out: [AuditEntry] = []
            for try await entry in group { out.append(entry) }
            return out
        }
        #expect(Set(entries.map(\.seq)) == Set(1...300))
        #expect(Set(entries.map(\.target)).count == 300)
        let stored = try log.entries(limit: 1000)
        #expect(stored.map(\.seq) == Array(1...300))
        // Each caller got back exactly the entry stored for it (a batch chains its entries one after another).
        let returned = Dictionary(uniqueKeysWithValues: entries.map { ($0.seq, $0) })
        for entry in stored { #expect(returned[entry.seq]?.hash == entry.hash && returned[entry.seq]?.prevHash == entry.prevHash) }
        // Time stamps follow the sequence.
        #expect(stored.map(\.at) == stored.map(\.at).sorted())
        let result = try log.verify()
        #expect(result.ok && result.checked == 300)
        // Grouped: a batch starts at most every `batchInterval`, so entries arriving meanwhile share it.
        #expect(log.batchesWritten < 300)
    }

    /// A record after the writer has gone idle starts a new batch (nothing waits forever for a batch that
    /// is never scheduled), including right after a previous batch, inside its pause.
    @Test func recordsOneAfterAnotherEachCommit() async throws {
        let dir = TestEnvironment.temporaryDirectory()
        let log = try AuditLog(database: try AppDatabase(path: dir.appendingPathComponent("s.sqlite").path))
        for i in 0..<20 {
            let entry = try await log.record(AuditEvent(actor: "u", action: "search", target: "q\(i)"))
            #expect(entry.seq == Int64(i + 1))
        }
        #expect(log.batchesWritten == 20)
        #expect(try log.entries(limit: 100).map(\.target) == (0..<20).map { "q\($0)" })
        #expect(try log.verify().ok)
    }
}

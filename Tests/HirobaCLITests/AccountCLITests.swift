import Foundation
import GRDB
import Storage
import Testing

@Suite("hiroba users, access and audit")
struct AccountCLITests {
    @Test func usersAccessAndAuditFromTheCommandLine() throws {
        let dir = NSTemporaryDirectory() + "hiroba-cli-accounts-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let db = dir + "/a.sqlite"
        let add = try CLI.run(["users", "add", "kaikei1", "--name", "会計 太郎", "--placement", "みなと市/会計管理局/会計課", "--db", db])
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.contains("初期パスワード: "))
        let dup = try CLI.run(["users", "add", "KAIKEI1", "--name", "別人", "--placement", "みなと市/会計管理局/会計課", "--db", db])
        #expect(dup.status == 1)
        #expect(dup.stderr.contains("既に使われています"))
        let badRole = try CLI.run(["users", "add", "x", "--name", "x", "--placement", "a/b/c", "--role", "root", "--db", db])
        #expect(badRole.status != 0)
        #expect(try CLI.run(["users", "disable", "kaikei1", "--db", db]).status == 0)
        let list = try CLI.run(["users", "list", "--json", "--db", db])
        #expect(list.stdout.contains("\"disabled\":true"))
        #expect(try CLI.run(["users", "reset-password", "nobody", "--db", db]).stderr.contains("利用者が見つかりません"))
        let grantUnknown = try CLI.run(["access", "grant", "例規", "--to", "みなと市/存在しない局", "--db", db])
        #expect(grantUnknown.status == 1)
        #expect(grantUnknown.stderr.contains("所属が見つかりません"))

        let badVisibility = try CLI.run(["access", "set", "例規", "--owner", "みなと市/総務局/法務課", "--visibility", "everyone", "--db", db])
        #expect(badVisibility.status != 0)
        #expect(badVisibility.stderr.contains("Unknown visibility everyone"))
        #expect(try CLI.run(["audit", "purge", "--days", "0", "--db", db]).stderr.contains("--days must be at least 1"))

        // Tamper with the log the commands wrote, then verify.
        #expect(try CLI.run(["audit", "verify", "--db", db]).status == 0)
        for i in 0..<4 { _ = try CLI.run(["users", "add", "u\(i)", "--name", "利用者\(i)", "--placement", "みなと市/会計管理局/会計課", "--db", db]) }
        let queue = try DatabaseQueue(path: AuditLog.path(forDatabase: db))
        try queue.write { db in
            try db.execute(sql: "UPDATE audit_log SET target = 'someone-else' WHERE seq = 2")
            try db.execute(sql: "DELETE FROM audit_log WHERE seq = 4")
        }
        let verify = try CLI.run(["audit", "verify", "--json", "--db", db])
        #expect(verify.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any])
        #expect(report["first_broken"] as? Int == 2)
        let problems = (report["problems"] as? [[String: Any]]) ?? []
        #expect(problems.contains { ($0["seq"] as? Int) == 5 })

        let csv = try CLI.run(["audit", "export", "--format", "csv", "--from", "2000-01-01", "--db", db])
        #expect(csv.stdout.hasPrefix("\u{FEFF}seq,at,actor_id"))
        #expect(csv.stdout.contains("user.add"))
        let jsonl = try CLI.run(["audit", "export", "--format", "jsonl", "--db", db])
        #expect(jsonl.stdout.split(separator: "\n").count == 5)  // 6 written, 1 deleted
        #expect(try CLI.run(["audit", "export", "--from", "yesterday", "--db", db]).status != 0)
    }
}

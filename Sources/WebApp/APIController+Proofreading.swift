import Foundation
import HTTPTypes
import Hummingbird
import Ingest
import NIOCore
import NIOPosix
import Proofreading

extension APIController {
    /// `POST /api/v1/proofread` (JSON text) and `POST /api/v1/proofread/file?filename=` (the file as the body).
    func registerProofreading(on group: RouterGroup<HirobaContext>) {
        let service = services.proofreading
        let audit = services.audit
        group.post("proofread") { request, context in
            let user = try context.requireUser()
            try requireJSON(request)
            try context.requireCSRF(request.headers[Self.csrfHeader])
            struct Body: Decodable { var text: String }
            let body = try await decodeJSON(Body.self, from: request, limit: 12 * 1024 * 1024)
            let answer = try await NIOThreadPool.singleton.runIfActive {
                try service.check(body.text, source: nil, warnings: [], user: user, audit: audit, address: context.address)
            }
            return try encodedJSON(answer)
        }
        group.post("proofread/file") { request, context in
            let user = try context.requireUser()
            try context.requireCSRF(request.headers[Self.csrfHeader])
            let fileName = try KnowledgeService.uploadFileName(request.uri.queryParameters["filename"].map(String.init))
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hiroba-proofread-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent(fileName).path
            try await Self.write(request.body, to: path, limit: context.maxUploadSize)
            let answer = try await NIOThreadPool.singleton.runIfActive {
                let loaded: ProofreadingSource.Loaded
                do {
                    loaded = try ProofreadingSource.load(path: path)
                } catch let error as IngestError {
                    // Never show the server's temporary path.
                    let message = error.message.replacingOccurrences(of: path, with: fileName)
                    throw APIError(.unprocessableContent, code: "unreadable_file", message: message, fix: error.fix)
                }
                return try service.check(loaded.text, source: fileName, warnings: loaded.warnings, user: user, audit: audit, address: context.address)
            }
            return try encodedJSON(answer)
        }
    }
}

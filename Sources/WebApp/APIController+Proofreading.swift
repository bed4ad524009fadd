import Foundation
import HirobaCore
import HTTPTypes
import Hummingbird
import Ingest
import LLM
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
            struct Body: Decodable {
                var text: String
                /// Also ask the model for rewrites of long sentences (the optional model pass).
                var rewrite: Bool?
                var model: String?
            }
            let body = try await decodeJSON(Body.self, from: request, limit: 12 * 1024 * 1024)
            var answer = try await NIOThreadPool.singleton.runIfActive {
                try service.check(body.text, source: nil, warnings: [], user: user, audit: audit, address: context.address)
            }
            if body.rewrite == true { try await addRewrites(to: &answer, model: body.model, user: user, context: context) }
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
            var answer = try await NIOThreadPool.singleton.runIfActive {
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
            if ["1", "true"].contains(request.uri.queryParameters["rewrite"].map(String.init) ?? "") {
                try await addRewrites(to: &answer, model: nil, user: user, context: context)
            }
            return try encodedJSON(answer)
        }
    }

    /// The optional model pass: rewrite suggestions for long sentences, through the gateway.
    func addRewrites(to answer: inout ProofreadingService.Answer, model: String?, user: UserAccount, context: HirobaContext) async throws {
        guard let gateway = services.gateway else { throw APIError.from(GatewayError.noModelConfigured) }
        guard let raw = answer.raw else { return }
        let result = try await RewriteSuggester(gateway: gateway).suggest(
            for: raw, model: model, caller: Self.caller(user, context: context, app: "proofread"))
        answer.rewrites = .init(model: result.model, suggestions: result.suggestions, failed: result.failed)
    }
}
